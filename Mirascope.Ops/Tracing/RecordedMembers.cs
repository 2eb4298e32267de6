using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Reflection;
using Mirascope.Ops.Weaving;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// The members a user type records: the backing fields of its public auto-properties (and the conventional fields of
    /// hand-written ones), its public fields, and private fields holding its content in a BCL collection; base types
    /// first, in declaration order. Read as fields, so no getter runs.
    /// </summary>
    internal static class RecordedMembers
    {
        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = RecordingReflection.Justification)]
        [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = RecordingReflection.Justification)]
        public static RecordedMember[] Of(Type type)
        {
            var chain = new List<Type>();
            for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType) && !FrameworkTypes.Is(t); t = t.BaseType)
            {
                chain.Add(t);
            }

            chain.Reverse();
            var anonymous = ValueShape.IsAnonymous(type);
            var members = new List<RecordedMember>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly;

            // Most derived first for the names, so an override or a `new` property hides its base's.
            for (var i = chain.Count - 1; i >= 0; i--)
            {
                var declaring = chain[i];
                var declared = new List<RecordedMember>();
                foreach (var property in RecordingReflection.InDeclarationOrder(declaring.GetProperties(Declared)))
                {
                    var recorded = FromProperty(declaring, property, anonymous);
                    if (recorded is not null && names.Add(recorded.Name))
                    {
                        declared.Add(recorded);
                    }
                }

                var wrapped = new HashSet<FieldInfo>(declared.Select(m => m.Field));
                foreach (var field in RecordingReflection.InDeclarationOrder(declaring.GetFields(Declared)))
                {
                    var recorded = field.IsPublic ? FromMember(field, field)
                        : !wrapped.Contains(field) && IsContentCollection(field) ? FromMember(field, field, ContentName(field.Name))
                        : null;
                    if (recorded is not null && names.Add(recorded.Name))
                    {
                        declared.Add(recorded);
                    }
                }

                members.InsertRange(0, declared);
            }

            return members.ToArray();
        }

        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = RecordingReflection.Justification)]
        [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = RecordingReflection.Justification)]
        private static RecordedMember? FromProperty(Type declaring, PropertyInfo property, bool anonymous)
        {
            var getter = property.GetMethod;
            if (getter is null || !getter.IsPublic || getter.IsStatic || property.GetIndexParameters().Length > 0)
            {
                return null;
            }

            // An auto-property's value lives in its backing field: reading the field runs no getter.
            var field = anonymous ? AnonymousBackingField(declaring, property)
                : declaring.GetField("<" + property.Name + ">k__BackingField", BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly);
            field ??= NamedBackingField(declaring, property);
            return field is null ? null : FromMember(property, field);
        }

        /// <summary>The field an anonymous type's property reads, by the name its compiler gives it (<see cref="AnonymousType"/>).</summary>
        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = RecordingReflection.Justification)]
        [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = RecordingReflection.Justification)]
        private static FieldInfo? AnonymousBackingField(Type declaring, PropertyInfo property)
        {
            foreach (var name in AnonymousType.BackingFieldNames(property.Name))
            {
                var field = declaring.GetField(name, BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly);
                if (field is not null)
                {
                    return field;
                }
            }

            return null;
        }

        /// <summary>
        /// The field a hand-written property conventionally wraps (<c>_title</c>, <c>m_title</c> or <c>title</c> for
        /// <c>Title</c>, of the property's type): read instead of the getter, which may do anything (raise change
        /// notifications, create the value lazily). Its current state is recorded, so a lazily created value that was
        /// never asked for is <c>null</c>. A property with no such field is computed and not recorded.
        /// </summary>
        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = RecordingReflection.Justification)]
        [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = RecordingReflection.Justification)]
        private static FieldInfo? NamedBackingField(Type declaring, PropertyInfo property)
        {
            var name = property.Name;
            var camel = char.ToLowerInvariant(name[0]) + name.Substring(1);
            foreach (var candidate in new[] { "_" + camel, "m_" + camel, "_" + name, camel })
            {
                if (candidate == name)
                {
                    continue;
                }

                var field = declaring.GetField(candidate, BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly);
                if (field is not null && property.PropertyType.IsAssignableFrom(field.FieldType))
                {
                    return field;
                }
            }

            return null;
        }

        /// <summary>
        /// A private field that holds the object's content in a BCL collection (a tree's <c>List&lt;Node&gt; _children</c>,
        /// a buffer's <c>T[] _items</c>): recorded like a public field, read as a field (no code runs), its elements
        /// by the usual rules. Without it a tree records only its links (<c>Parent</c>, <c>Next</c>), never its content.
        /// </summary>
        private static bool IsContentCollection(FieldInfo field)
        {
            if (field.IsStatic || field.Name.StartsWith("<", StringComparison.Ordinal))
            {
                return false;
            }

            var type = field.FieldType;
            if (type.IsArray)
            {
                return type.GetArrayRank() == 1;
            }

            if (!type.IsGenericType)
            {
                return false;
            }

            var definition = type.GetGenericTypeDefinition();
            var name = definition.FullName ?? string.Empty;
            return FrameworkTypes.Is(definition)
                && (ValueClassifier.SequenceDefinitions.Contains(name) || ValueClassifier.DictionaryDefinitions.Contains(name) || ContentInterfaces.Contains(name));
        }

        private static readonly HashSet<string> ContentInterfaces = new HashSet<string>(StringComparer.Ordinal)
        {
            "System.Collections.Generic.IList`1",
            "System.Collections.Generic.IReadOnlyList`1",
            "System.Collections.Generic.ICollection`1",
            "System.Collections.Generic.IReadOnlyCollection`1",
            "System.Collections.Generic.IDictionary`2",
            "System.Collections.Generic.IReadOnlyDictionary`2",
        };

        /// <summary>A private field's recorded name: <c>_children</c> and <c>m_children</c> record as <c>children</c>.</summary>
        private static string ContentName(string field) =>
            field.StartsWith("m_", StringComparison.Ordinal) && field.Length > 2 ? field.Substring(2)
            : field.StartsWith("_", StringComparison.Ordinal) && field.Length > 1 ? field.Substring(1)
            : field;

        private static RecordedMember? FromMember(MemberInfo member, FieldInfo field, string? recordedName = null)
        {
            var name = recordedName ?? member.Name;
            var omitWhenNull = false;
            var redacted = false;
            var asString = false;
            foreach (var attribute in member.CustomAttributes)
            {
                switch (attribute.AttributeType.FullName)
                {
                    case "System.Text.Json.Serialization.JsonIgnoreAttribute":
                        // Condition: Never = 0, Always = 1 (the default), WhenWritingDefault = 2, WhenWritingNull = 3.
                        var condition = attribute.NamedArguments.FirstOrDefault(a => a.MemberName == "Condition").TypedValue.Value;
                        if (condition is null || (int)condition == 1)
                        {
                            return null;
                        }

                        omitWhenNull = (int)condition != 0;
                        break;
                    case "System.Text.Json.Serialization.JsonPropertyNameAttribute":
                        if (attribute.ConstructorArguments.Count == 1 && attribute.ConstructorArguments[0].Value is string jsonName)
                        {
                            name = jsonName;
                        }

                        break;
                    case "Mirascope.Ops.NoTraceAttribute":
                        redacted = true;
                        break;
                    case "Mirascope.Ops.RecordToStringAttribute":
                        asString = true;
                        break;
                }
            }

            return new RecordedMember(name, field, redacted, asString, omitWhenNull);
        }
    }
}
