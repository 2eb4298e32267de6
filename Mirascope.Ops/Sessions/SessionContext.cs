using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using Mirascope.Ops.Spans;
using Mirascope.Ops.Tracing;

namespace Mirascope.Ops
{
    /// <summary>
    /// A session: an id and optional attributes that every span started inside <see cref="MirascopeOps.Session"/> carries as
    /// <c>mirascope.ops.session.id</c> and <c>mirascope.ops.session.attributes</c> (JSON). Immutable.
    /// </summary>
    public sealed class SessionContext
    {
        private SessionContext(string id, IReadOnlyDictionary<string, object?>? attributes, string? attributesJson)
        {
            Id = id;
            Attributes = attributes;
            AttributesJson = attributesJson;
        }

        /// <summary>The session id: the one given, or a new UUID (<c>xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx</c>).</summary>
        public string Id { get; }

        /// <summary>The session attributes in the order given, or <c>null</c> when none were given.</summary>
        public IReadOnlyDictionary<string, object?>? Attributes { get; }

        /// <summary>The attributes as the compact JSON object recorded on spans, computed once.</summary>
        internal string? AttributesJson { get; }

        internal static SessionContext Create(string? id, object? attributes)
        {
            var sessionId = string.IsNullOrEmpty(id) ? Guid.NewGuid().ToString() : id!;
            var pairs = AttributeReader.Read(attributes);
            if (pairs is null)
            {
                return new SessionContext(sessionId, null, null);
            }

            var dictionary = new Dictionary<string, object?>(pairs.Count, StringComparer.Ordinal);
            var json = new CappedJsonBuilder(RecordingLimits.MaxAttributeLength);
            var open = json.Open('{');
            foreach (var pair in pairs)
            {
                if (dictionary.ContainsKey(pair.Key))
                {
                    continue;
                }

                dictionary.Add(pair.Key, pair.Value);
                if (!open || json.IsTruncated)
                {
                    continue;
                }

                var first = json.Mark.Length == 1;
                var mark = json.Mark;
                if (!first)
                {
                    json.Comma();
                }

                JsonValueWriter.Element(json, mark, JsonValueWriter.WriteName(json, pair.Key) && JsonValueWriter.WriteValue(json, pair.Value), inObject: true, ref first);
            }

            if (open)
            {
                json.Close('}');
            }

            return new SessionContext(sessionId, new ReadOnlyDictionary<string, object?>(dictionary), open ? json.ToString() : "{}");
        }

        /// <summary>Returns the session id.</summary>
        /// <returns>The id.</returns>
        public override string ToString() => Id;
    }
}
