using System;
using System.Linq;
using Fody;
using Mirascope.Ops.Fody.Diagnostics;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Targets
{
    /// <summary>
    /// The one table of the options of assembly-wide tracing: FodyWeavers.xml validates and reads its attributes by it
    /// (<see cref="WeaverOptions"/>), <c>[assembly: Trace]</c> is read by it (<see cref="AssemblyTracing"/>), and it
    /// says which <c>[Trace]</c> properties are an error below the assembly (MOPS010). Mirascope.Ops.Fody.xcf documents
    /// each one (a test checks the two agree).
    /// </summary>
    internal static class AssemblyOptions
    {
        /// <summary>FodyWeavers.xml only: the assembly's own <c>[Trace]</c> is what turns it on in code.</summary>
        public static readonly AssemblyOption<bool> TraceAssembly = new AssemblyOption<bool>("TraceAssembly", onAttribute: false, false, ReadBool, value => (bool)value);

        public static readonly AssemblyOption<string[]> IncludeNamespaces = new AssemblyOption<string[]>(TraceProperties.IncludeNamespaces, onAttribute: true, new string[0], ReadNamespaces, ReadStrings);

        public static readonly AssemblyOption<string[]> ExcludeNamespaces = new AssemblyOption<string[]>(TraceProperties.ExcludeNamespaces, onAttribute: true, new string[0], ReadNamespaces, ReadStrings);

        public static readonly AssemblyOption<Visibility> Visibility = new AssemblyOption<Visibility>(TraceProperties.Visibility, onAttribute: true, Targets.Visibility.Public, ReadVisibility, value => (Visibility)(int)value);

        public static readonly AssemblyOption<bool> IncludeIterators = new AssemblyOption<bool>(TraceProperties.IncludeIterators, onAttribute: true, true, ReadBool, value => (bool)value);

        public static readonly IAssemblyOption[] All = { TraceAssembly, IncludeNamespaces, ExcludeNamespaces, Visibility, IncludeIterators };

        public static IAssemblyOption? Named(string name) => All.FirstOrDefault(o => o.Name == name);

        /// <summary>Whether <paramref name="property"/> of <c>[Trace]</c> is allowed on the assembly only.</summary>
        public static bool IsAssemblyOnly(string property) => All.Any(o => o.OnAttribute && o.Name == property);

        public static WeavingException Invalid(string message) =>
            new WeavingException($"{DiagnosticCodes.InvalidOption}: FodyWeavers.xml: {message} See the README's FodyWeavers.xml section.");

        private static bool ReadBool(string name, string value) => value.Trim().ToLowerInvariant() switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            _ => throw Invalid($"{name}=\"{value}\" is not true or false."),
        };

        private static Visibility ReadVisibility(string name, string value) => value.Trim().ToLowerInvariant() switch
        {
            "public" => Targets.Visibility.Public,
            "internal" => Targets.Visibility.Internal,
            "all" => Targets.Visibility.All,
            _ => throw Invalid($"{name}=\"{value}\" is not one of Public, Internal, All."),
        };

        private static string[] ReadNamespaces(string name, string value)
        {
            var items = value.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries).Select(v => v.Trim()).Where(v => v.Length > 0).ToArray();
            foreach (var item in items)
            {
                if (item.Any(c => !(char.IsLetterOrDigit(c) || c == '.' || c == '_' || c == '*')))
                {
                    throw Invalid($"{name} has \"{item}\", which is not a namespace pattern (letters, digits, '_', '.', '*').");
                }
            }

            return items;
        }

        private static string[] ReadStrings(object value) => ((CustomAttributeArgument[])value).Select(a => (string)a.Value).ToArray();
    }

    /// <summary>An option of the table, whatever its type: what validation and the MOPS010 check need.</summary>
    internal interface IAssemblyOption
    {
        /// <summary>The attribute of FodyWeavers.xml, and the property of <c>[assembly: Trace]</c> when <see cref="OnAttribute"/>.</summary>
        string Name { get; }

        /// <summary>Whether <c>[assembly: Trace]</c> can set it too (and so whether it is an error on a class or method).</summary>
        bool OnAttribute { get; }

        /// <summary>Parses a FodyWeavers.xml value; a bad one throws MOPS009.</summary>
        object ReadConfig(string value);
    }

    /// <summary>One option: its name, its default, how FodyWeavers.xml and <c>[assembly: Trace]</c> spell its value.</summary>
    internal sealed class AssemblyOption<T> : IAssemblyOption
    {
        private readonly Func<string, string, T> _readConfig;
        private readonly Func<object, T> _readAttribute;

        public AssemblyOption(string name, bool onAttribute, T defaultValue, Func<string, string, T> readConfig, Func<object, T> readAttribute)
        {
            Name = name;
            OnAttribute = onAttribute;
            Default = defaultValue;
            _readConfig = readConfig;
            _readAttribute = readAttribute;
        }

        public string Name { get; }

        public bool OnAttribute { get; }

        public T Default { get; }

        public object ReadConfig(string value) => _readConfig(Name, value)!;

        /// <summary>The value the attribute sets, when it names this option.</summary>
        public bool TryRead(CustomAttribute? attribute, out T value)
        {
            if (attribute is not null && attribute.HasProperties)
            {
                foreach (var property in attribute.Properties)
                {
                    // A null value (IncludeNamespaces = null) says nothing, as if not set: FodyWeavers.xml or the default applies.
                    if (property.Name == Name && property.Argument.Value is not null)
                    {
                        value = _readAttribute(property.Argument.Value);
                        return true;
                    }
                }
            }

            value = default!;
            return false;
        }
    }
}
