using System;
using System.ComponentModel;

namespace Mirascope.Ops
{
    /// <summary>
    /// Marks a method as a versioned function: it is traced like <see cref="TraceAttribute"/>, and at build time the
    /// weaver computes a hash of its code together with the same-assembly methods it calls (transitively), so every
    /// span says which version of the function ran (<c>mirascope.version.*</c>). Read it at run time with
    /// <see cref="MirascopeOps.VersionOf(System.Reflection.MethodInfo)"/>.
    /// </summary>
    /// <remarks>
    /// The hash covers the source text with whitespace and comments removed, so it is the same for Debug and Release
    /// builds and for whitespace- or comment-only edits, and changes when the body or a called method changes.
    /// </remarks>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
    public sealed class VersionAttribute : Attribute
    {
        /// <summary>The version name (<c>mirascope.version.name</c>); also the span name when given.</summary>
        public string? Name { get; set; }

        /// <summary>Tags, as for <see cref="TraceAttribute.Tags"/>; also recorded as <c>mirascope.version.tags</c>.</summary>
        public string[]? Tags { get; set; }

        /// <summary>Metadata <c>key=value</c> entries; each also recorded as <c>mirascope.version.meta.&lt;key&gt;</c>.</summary>
        public string[]? Metadata { get; set; }

        /// <summary>Set by the weaver: SHA-256 of the normalized code and its same-assembly callees. Not for direct use.</summary>
        [EditorBrowsable(EditorBrowsableState.Never)]
        public string? Hash { get; set; }

        /// <summary>Set by the weaver: SHA-256 of the normalized signature. Not for direct use.</summary>
        [EditorBrowsable(EditorBrowsableState.Never)]
        public string? SignatureHash { get; set; }

        /// <summary>Set by the weaver: the source text the hash covers (the method, its same-assembly callees, the field values they read). Not for direct use.</summary>
        [EditorBrowsable(EditorBrowsableState.Never)]
        public string? Code { get; set; }

        /// <summary>Set by the weaver: the method's declaration, up to its body. Not for direct use.</summary>
        [EditorBrowsable(EditorBrowsableState.Never)]
        public string? Signature { get; set; }

        /// <summary>Set by the weaver: the XML documentation summary. Not for direct use.</summary>
        [EditorBrowsable(EditorBrowsableState.Never)]
        public string? Description { get; set; }
    }
}
