using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Mono.Cecil;

namespace Mirascope.Ops.Fody
{
    /// <summary>
    /// Assembly-wide tracing: <c>[assembly: Trace]</c> and/or <c>TraceAssembly="true"</c> in FodyWeavers.xml, with the
    /// namespace, visibility and iterator filters merged (the attribute wins where both say something).
    /// </summary>
    internal sealed class AssemblyTracing
    {
        private readonly Regex[] _include;
        private readonly Regex[] _exclude;

        private AssemblyTracing(CustomAttribute? attribute, string[]? include, string[]? exclude, int visibility, bool includeIterators)
        {
            Attribute = attribute;
            _include = (include ?? new string[0]).Select(Pattern).ToArray();
            _exclude = (exclude ?? new string[0]).Select(Pattern).ToArray();
            Visibility = visibility;
            IncludeIterators = includeIterators;
        }

        /// <summary>The assembly's own <c>[Trace]</c>, whose tags and metadata apply to every span; null when only configured.</summary>
        public CustomAttribute? Attribute { get; }

        /// <summary>0 public, 1 internal, 2 all (TraceVisibility).</summary>
        public int Visibility { get; }

        public bool IncludeIterators { get; }

        public static AssemblyTracing? Read(ModuleDefinition module, WeaverOptions options)
        {
            var attribute = Attributes.Find(module.Assembly, RuntimeReferences.TraceAttributeName);
            if (attribute is null && options.TraceAssembly != true)
            {
                return null;
            }

            return new AssemblyTracing(
                attribute,
                Named<string[]>(attribute, "IncludeNamespaces") ?? options.IncludeNamespaces,
                Named<string[]>(attribute, "ExcludeNamespaces") ?? options.ExcludeNamespaces,
                Named<int?>(attribute, "Visibility") ?? options.Visibility ?? 0,
                Named<bool?>(attribute, "IncludeIterators") ?? options.IncludeIterators ?? true);
        }

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

        /// <summary>The names of the assembly-level-only properties, an error anywhere else.</summary>
        public static readonly string[] AssemblyOnlyProperties = { "IncludeNamespaces", "ExcludeNamespaces", "Visibility", "IncludeIterators" };

        private static T? Named<T>(CustomAttribute? attribute, string name)
        {
            var argument = attribute?.Properties.FirstOrDefault(p => p.Name == name);
            if (argument is null || argument.Value.Name is null)
            {
                return default;
            }

            var value = argument.Value.Argument.Value;
            if (value is CustomAttributeArgument[] array)
            {
                return (T)(object)array.Select(a => (string)a.Value).ToArray();
            }

            return (T)value;
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
