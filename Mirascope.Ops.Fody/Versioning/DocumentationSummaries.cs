using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Mirascope.Ops.Fody.Targets;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Versioning
{
    /// <summary>Reads <c>&lt;summary&gt;</c> texts from the XML documentation file the compiler wrote, by documentation ID.</summary>
    internal sealed class DocumentationSummaries
    {
        private readonly Dictionary<string, string> _summaries;

        private DocumentationSummaries(Dictionary<string, string> summaries) => _summaries = summaries;

        public static DocumentationSummaries Load(string? path)
        {
            var summaries = new Dictionary<string, string>(StringComparer.Ordinal);
            try
            {
                if (path is not null && File.Exists(path))
                {
                    foreach (var member in XDocument.Load(path).Descendants("member"))
                    {
                        var name = (string?)member.Attribute("name");
                        var summary = member.Element("summary");
                        if (name is not null && summary is not null)
                        {
                            summaries[name] = Regex.Replace(string.Concat(summary.Nodes().Select(Text)), "\\s+", " ").Trim();
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is IOException || ex is System.Xml.XmlException || ex is UnauthorizedAccessException)
            {
            }

            return new DocumentationSummaries(summaries);
        }

        public string? For(MethodDefinition method) => _summaries.TryGetValue(Id(method), out var summary) && summary.Length > 0 ? summary : null;

        /// <summary><c>&lt;see cref="X"/&gt;</c> reads as X; other markup as its text.</summary>
        private static string Text(XNode node) => node switch
        {
            XText text => text.Value,
            XElement element when element.Attribute("cref") is { } cref => cref.Value.Substring(cref.Value.IndexOf(':') + 1),
            XElement element when element.Attribute("langword") is { } word => word.Value,
            XElement element when element.Name.LocalName is "paramref" or "typeparamref" && element.Attribute("name") is { } named => named.Value,
            XElement element => string.Concat(element.Nodes().Select(Text)),
            _ => string.Empty,
        };

        /// <summary>The documentation ID of a method (ECMA-334 annex D), e.g. <c>M:NS.Type.Method(System.Int32,System.String)</c>.</summary>
        private static string Id(MethodDefinition method)
        {
            var builder = new StringBuilder("M:").Append(TypeId(method.DeclaringType)).Append('.').Append(method.Name.Replace('.', '#'));
            if (method.HasGenericParameters)
            {
                builder.Append("``").Append(method.GenericParameters.Count);
            }

            if (method.HasParameters)
            {
                builder.Append('(').Append(string.Join(",", method.Parameters.Select(p => ParameterId(p.ParameterType)))).Append(')');
            }

            return builder.ToString();
        }

        private static string TypeId(TypeReference type) => type.FullName.Replace('/', '.');

        private static string ParameterId(TypeReference type) => type switch
        {
            GenericParameter parameter => (parameter.Type == GenericParameterType.Method ? "``" : "`") + parameter.Position,
            ByReferenceType byReference => ParameterId(byReference.ElementType) + "@",
            PointerType pointer => ParameterId(pointer.ElementType) + "*",
            ArrayType array => ParameterId(array.ElementType) + (array.Rank == 1 ? "[]" : "[" + string.Join(",", Enumerable.Repeat("0:", array.Rank)) + "]"),
            RequiredModifierType required => ParameterId(required.ElementType),
            OptionalModifierType optional => ParameterId(optional.ElementType),
            GenericInstanceType generic => Regex.Replace(TypeId(generic.ElementType), "`\\d+", string.Empty) + "{" + string.Join(",", generic.GenericArguments.Select(ParameterId)) + "}",
            _ => TypeId(type),
        };
    }
}
