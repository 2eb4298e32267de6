using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Mono.Cecil;

namespace Mirascope.Ops.Fody
{
    /// <summary>Reads and validates the named arguments of a <c>[Trace]</c> attribute.</summary>
    internal static class TraceSettingsReader
    {
        /// <summary>Merges the class-level and method-level attributes (the method's values win) and validates them.</summary>
        public static TraceSettings? Read(MethodDefinition method, IEnumerable<CustomAttribute> attributes, Diagnostics diagnostics)
        {
            string? name = null;
            string[]? tags = null;
            string[]? metadata = null;
            foreach (var attribute in attributes)
            {
                name = ReadString(attribute, "Name") ?? name;
                tags = ReadStrings(attribute, "Tags") ?? tags;
                metadata = ReadStrings(attribute, "Metadata") ?? metadata;
            }

            var valid = true;
            if (tags is not null && tags.Any(string.IsNullOrWhiteSpace))
            {
                diagnostics.Error(DiagnosticCodes.EmptyTag, method, $"[Trace] on {Describe(method)} has an empty tag. Remove it or give it text.");
                valid = false;
            }

            var metadataJson = metadata is null ? null : MetadataJson(method, metadata, diagnostics, ref valid);
            if (!valid)
            {
                return null;
            }

            var sortedTags = (tags ?? Array.Empty<string>()).Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal).ToArray();
            return new TraceSettings(string.IsNullOrWhiteSpace(name) ? null : name, sortedTags, metadataJson);
        }

        public static string Describe(MethodDefinition method) => $"'{MethodNames.QualifiedName(method)}'";

        private static string? MetadataJson(MethodDefinition method, string[] entries, Diagnostics diagnostics, ref bool valid)
        {
            if (entries.Length == 0)
            {
                return null;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var builder = new StringBuilder("{");
            foreach (var entry in entries)
            {
                var equals = entry?.IndexOf('=') ?? -1;
                if (entry is null || equals <= 0 || entry.Substring(0, equals).Trim().Length == 0)
                {
                    diagnostics.Error(
                        DiagnosticCodes.MalformedMetadata,
                        method,
                        $"[Trace] on {Describe(method)} has the Metadata entry \"{entry}\", which is not of the form \"key=value\".");
                    valid = false;
                    continue;
                }

                var key = entry.Substring(0, equals).Trim();
                var value = entry.Substring(equals + 1).Trim();
                if (!seen.Add(key))
                {
                    diagnostics.Error(
                        DiagnosticCodes.DuplicateMetadataKey,
                        method,
                        $"[Trace] on {Describe(method)} has the Metadata key \"{key}\" more than once. Keep one entry per key.");
                    valid = false;
                    continue;
                }

                if (builder.Length > 1)
                {
                    builder.Append(',');
                }

                Json.AppendString(builder, key);
                builder.Append(':');
                Json.AppendString(builder, value);
            }

            return builder.Append('}').ToString();
        }

        private static string? ReadString(CustomAttribute attribute, string property)
        {
            foreach (var named in attribute.Properties)
            {
                if (named.Name == property)
                {
                    return named.Argument.Value as string;
                }
            }

            return null;
        }

        private static string[]? ReadStrings(CustomAttribute attribute, string property)
        {
            foreach (var named in attribute.Properties)
            {
                if (named.Name == property && named.Argument.Value is CustomAttributeArgument[] values)
                {
                    return values.Select(v => v.Value as string ?? string.Empty).ToArray();
                }
            }

            return null;
        }
    }
}
