using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using Fody;

namespace Mirascope.Ops.Fody
{
    /// <summary>
    /// The options of the <c>&lt;Mirascope.Ops /&gt;</c> element of FodyWeavers.xml, validated: an unknown option or a bad
    /// value is a build error (MOPS009). Each option is documented in Mirascope.Ops.Fody.xcf (the generated xsd).
    /// Null means "not said here"; an <c>[assembly: Trace]</c> attribute wins where both say something.
    /// </summary>
    internal sealed class WeaverOptions
    {
        internal static readonly string[] Known = { "TraceAssembly", "IncludeNamespaces", "ExcludeNamespaces", "Visibility", "IncludeIterators" };

        public bool? TraceAssembly { get; private set; }

        public string[]? IncludeNamespaces { get; private set; }

        public string[]? ExcludeNamespaces { get; private set; }

        public int? Visibility { get; private set; }

        public bool? IncludeIterators { get; private set; }

        public static WeaverOptions Read(XElement config)
        {
            var options = new WeaverOptions();
            foreach (var attribute in config.Attributes())
            {
                var name = attribute.Name.LocalName;
                if (!Known.Contains(name))
                {
                    throw Invalid($"<Mirascope.Ops> has no option '{name}'. Known options: {string.Join(", ", Known)}.");
                }

                var value = attribute.Value;
                switch (name)
                {
                    case "TraceAssembly":
                        options.TraceAssembly = ReadBool(name, value);
                        break;
                    case "IncludeIterators":
                        options.IncludeIterators = ReadBool(name, value);
                        break;
                    case "IncludeNamespaces":
                        options.IncludeNamespaces = ReadList(name, value);
                        break;
                    case "ExcludeNamespaces":
                        options.ExcludeNamespaces = ReadList(name, value);
                        break;
                    case "Visibility":
                        options.Visibility = value.Trim().ToLowerInvariant() switch
                        {
                            "public" => 0,
                            "internal" => 1,
                            "all" => 2,
                            _ => throw Invalid($"Visibility=\"{value}\" is not one of Public, Internal, All."),
                        };
                        break;
                }
            }

            return options;
        }

        private static bool ReadBool(string name, string value) => value.Trim().ToLowerInvariant() switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            _ => throw Invalid($"{name}=\"{value}\" is not true or false."),
        };

        private static string[] ReadList(string name, string value)
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

        private static WeavingException Invalid(string message) =>
            new WeavingException($"{DiagnosticCodes.InvalidOption}: FodyWeavers.xml: {message} See the README's FodyWeavers.xml section.");
    }
}
