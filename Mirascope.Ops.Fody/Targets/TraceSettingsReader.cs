using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Mirascope.Ops.Fody.Diagnostics;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Targets
{
    /// <summary>Reads and validates the named arguments of a <c>[Trace]</c> attribute.</summary>
    internal static class TraceSettingsReader
    {
        /// <summary>
        /// Layers the assembly-, class- and method-level attributes, outermost first: the innermost Name wins, tags add
        /// up, and metadata keys of an inner level override the outer ones.
        /// </summary>
        public static TraceSettings? Read(MethodDefinition method, IReadOnlyList<CustomAttribute> attributes, BuildErrors diagnostics)
        {
            string? name = null;
            List<string>? tags = null;
            List<KeyValuePair<string, string>>? metadata = null;
            var recordValues = true;
            var valid = true;
            for (var i = 0; i < attributes.Count; i++)
            {
                var attribute = attributes[i];
                if (!attribute.HasProperties)
                {
                    // The common case (a bare [Trace], or [assembly: Trace] on every method): nothing to layer.
                    continue;
                }

                name = ReadString(attribute, TraceProperties.Name) ?? name;
                recordValues = ReadBool(attribute, TraceProperties.RecordValues) ?? recordValues;
                var levelTags = ReadStrings(attribute, TraceProperties.Tags);
                if (levelTags is not null)
                {
                    if (levelTags.Any(string.IsNullOrWhiteSpace))
                    {
                        diagnostics.Error(DiagnosticCodes.EmptyTag, method, $"[Trace] on {Describe(method)} has an empty tag. Remove it or give it text.");
                        valid = false;
                    }

                    (tags ??= new List<string>()).AddRange(levelTags);
                }

                var entries = ReadStrings(attribute, TraceProperties.Metadata);
                if (entries is not null)
                {
                    foreach (var entry in ParseMetadata(method, entries, diagnostics, ref valid))
                    {
                        metadata ??= new List<KeyValuePair<string, string>>();
                        metadata.RemoveAll(e => e.Key == entry.Key);
                        metadata.Add(entry);
                    }
                }
            }

            if (!valid)
            {
                return null;
            }

            var sortedTags = tags is null
                ? Array.Empty<string>()
                : tags.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal).ToArray();
            return metadata is null
                ? new TraceSettings(string.IsNullOrWhiteSpace(name) ? null : name, sortedTags, Array.Empty<KeyValuePair<string, string>>(), null, recordValues)
                : new TraceSettings(string.IsNullOrWhiteSpace(name) ? null : name, sortedTags, metadata, MetadataJson(metadata), recordValues);
        }

        public static string Describe(MethodDefinition method) => $"'{MethodNames.QualifiedName(method)}'";

        private static List<KeyValuePair<string, string>> ParseMetadata(MethodDefinition method, string[] entries, BuildErrors diagnostics, ref bool valid)
        {
            var parsed = new List<KeyValuePair<string, string>>();
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
                if (parsed.Any(p => p.Key == key))
                {
                    diagnostics.Error(
                        DiagnosticCodes.DuplicateMetadataKey,
                        method,
                        $"[Trace] on {Describe(method)} has the Metadata key \"{key}\" more than once. Keep one entry per key.");
                    valid = false;
                    continue;
                }

                parsed.Add(new KeyValuePair<string, string>(key, entry.Substring(equals + 1).Trim()));
            }

            return parsed;
        }

        private static string? MetadataJson(List<KeyValuePair<string, string>> metadata)
        {
            if (metadata.Count == 0)
            {
                return null;
            }

            var builder = new StringBuilder("{");
            foreach (var entry in metadata)
            {
                if (builder.Length > 1)
                {
                    builder.Append(',');
                }

                Json.AppendString(builder, entry.Key);
                builder.Append(':');
                Json.AppendString(builder, entry.Value);
            }

            return builder.Append('}').ToString();
        }

        private static bool? ReadBool(CustomAttribute attribute, string property)
        {
            foreach (var named in attribute.Properties)
            {
                if (named.Name == property && named.Argument.Value is bool value)
                {
                    return value;
                }
            }

            return null;
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
