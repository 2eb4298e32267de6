using System;

namespace Mirascope.Ops
{
    /// <summary>
    /// Marks a method (or every public method of a class) to be traced: the Mirascope.Ops weaver rewrites
    /// the compiled method so that each call becomes an OpenTelemetry span from the <c>Mirascope.Ops</c>
    /// <see cref="System.Diagnostics.ActivitySource"/>, recording arguments, the result, errors, tags and metadata.
    /// </summary>
    /// <remarks>
    /// On an assembly (<c>[assembly: Trace]</c>) it traces every public method of public types, with the same
    /// exclusions as on a class, narrowed by <see cref="IncludeNamespaces"/>, <see cref="ExcludeNamespaces"/>,
    /// <see cref="Visibility"/> and <see cref="IncludeIterators"/>; tags and metadata given there apply to every span.
    /// Everything constant about the span (name, argument types, tags, metadata) is computed at build time.
    /// A <c>[Trace]</c> the weaver cannot honour is a build error with the file and line.
    /// </remarks>
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Assembly, AllowMultiple = false, Inherited = false)]
    public sealed class TraceAttribute : Attribute
    {
        /// <summary>The span name. Defaults to <c>{Type}.{Method}</c>.</summary>
        public string? Name { get; set; }

        /// <summary>Tags recorded as <c>mirascope.trace.tags</c> (sorted and de-duplicated at build time).</summary>
        public string[]? Tags { get; set; }

        /// <summary>
        /// Metadata entries, each <c>key=value</c>, recorded as the JSON object <c>mirascope.trace.metadata</c>.
        /// An entry without <c>=</c> or a duplicate key is a build error.
        /// </summary>
        public string[]? Metadata { get; set; }

        /// <summary>
        /// Assembly level only: namespaces to trace (wildcards: <c>MyApp.Services.*</c> is that namespace and all below).
        /// Default: all.
        /// </summary>
        public string[]? IncludeNamespaces { get; set; }

        /// <summary>Assembly level only: namespaces not to trace (same wildcards). Applied after <see cref="IncludeNamespaces"/>.</summary>
        public string[]? ExcludeNamespaces { get; set; }

        /// <summary>Assembly level only: the accessibility threshold. Default <see cref="TraceVisibility.Public"/>.</summary>
        public TraceVisibility Visibility { get; set; }

        /// <summary>Assembly level only: whether iterators and async iterators are traced too. Default <c>true</c>.</summary>
        public bool IncludeIterators { get; set; } = true;

        /// <summary>
        /// Whether the spans of this method (of every traced method of this class, or of this assembly) record argument
        /// and output values. Default true. With false the spans, their timing, nesting and errors stay; the values are
        /// left out and each span says so with <c>mirascope.trace.values_skipped = "disabled"</c>. The innermost level
        /// that sets it wins.
        /// </summary>
        public bool RecordValues { get; set; } = true;
    }
}
