using System.Linq;
using System.Text.RegularExpressions;
using Mirascope.Ops.Fody.Emit;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Targets
{
    /// <summary>
    /// Assembly-wide tracing: <c>[assembly: Trace]</c> and/or <c>TraceAssembly="true"</c> in FodyWeavers.xml, with the
    /// namespace, visibility and iterator filters merged (the attribute wins where both say something).
    /// </summary>
    internal sealed class AssemblyTracing
    {
        private readonly Regex[] _include;
        private readonly Regex[] _exclude;

        private AssemblyTracing(CustomAttribute? attribute, string[] include, string[] exclude, Visibility visibility, bool includeIterators)
        {
            Attribute = attribute;
            _include = include.Select(Pattern).ToArray();
            _exclude = exclude.Select(Pattern).ToArray();
            Visibility = visibility;
            IncludeIterators = includeIterators;
        }

        /// <summary>The assembly's own <c>[Trace]</c>, whose tags and metadata apply to every span; null when only configured.</summary>
        public CustomAttribute? Attribute { get; }

        public Visibility Visibility { get; }

        public bool IncludeIterators { get; }

        public static AssemblyTracing? Read(ModuleDefinition module, WeaverOptions options)
        {
            var attribute = Attributes.Find(module.Assembly, RuntimeTypeNames.TraceAttribute);
            if (attribute is null && !options.TraceAssembly)
            {
                return null;
            }

            return new AssemblyTracing(
                attribute,
                Setting(AssemblyOptions.IncludeNamespaces, attribute, options),
                Setting(AssemblyOptions.ExcludeNamespaces, attribute, options),
                Setting(AssemblyOptions.Visibility, attribute, options),
                Setting(AssemblyOptions.IncludeIterators, attribute, options));
        }

        /// <summary>The attribute's value, else FodyWeavers.xml's, else the default.</summary>
        private static T Setting<T>(AssemblyOption<T> option, CustomAttribute? attribute, WeaverOptions options) =>
            option.TryRead(attribute, out var value) || options.TryGet(option, out value) ? value : option.Default;

        public bool Covers(string @namespace) => (_include.Length == 0 || Matches(_include, @namespace)) && !Matches(_exclude, @namespace);

        private static bool Matches(Regex[] patterns, string @namespace)
        {
            foreach (var pattern in patterns)
            {
                if (pattern.IsMatch(@namespace))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary><c>MyApp.*</c> is MyApp and everything below it; <c>*</c> anywhere else matches any text.</summary>
        private static Regex Pattern(string pattern)
        {
            var escaped = Regex.Escape(pattern);
            escaped = escaped.EndsWith("\\.\\*", System.StringComparison.Ordinal)
                ? escaped.Substring(0, escaped.Length - 4) + "(\\..*)?"
                : escaped;
            return new Regex("^" + escaped.Replace("\\*", ".*") + "$", RegexOptions.CultureInvariant);
        }
    }
}
