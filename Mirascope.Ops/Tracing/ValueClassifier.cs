using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Reflection;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Works out the <see cref="ValueShape"/> of one runtime type from its metadata (no member of the type runs): which
    /// <see cref="ValueKind"/> it records as, and what that kind needs (members, tuple items, the wrapped collection).
    /// </summary>
    internal static class ValueClassifier
    {
        internal static readonly HashSet<string> SequenceDefinitions = new HashSet<string>(StringComparer.Ordinal)
        {
            "System.Collections.Generic.List`1",
            "System.Collections.Generic.HashSet`1",
            "System.Collections.Generic.SortedSet`1",
            "System.Collections.Generic.Queue`1",
            "System.Collections.Generic.Stack`1",
            "System.Collections.Generic.LinkedList`1",
            "System.Collections.Concurrent.ConcurrentStack`1",
            "System.Collections.Immutable.ImmutableArray`1",
            "System.Collections.Immutable.ImmutableList`1",
            "System.Collections.Immutable.ImmutableHashSet`1",
            "System.Collections.Immutable.ImmutableSortedSet`1",
            "System.Collections.Immutable.ImmutableQueue`1",
            "System.Collections.Immutable.ImmutableStack`1",
            "System.Collections.Frozen.FrozenSet`1",
            "System.ArraySegment`1",
        };

        internal static readonly HashSet<string> DictionaryDefinitions = new HashSet<string>(StringComparer.Ordinal)
        {
            "System.Collections.Generic.Dictionary`2",
            "System.Collections.Generic.SortedDictionary`2",
            "System.Collections.Generic.SortedList`2",
            "System.Collections.Concurrent.ConcurrentDictionary`2",
            "System.Collections.Immutable.ImmutableDictionary`2",
            "System.Collections.Immutable.ImmutableSortedDictionary`2",
            "System.Collections.Frozen.FrozenDictionary`2",
        };

        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = RecordingReflection.Justification)]
        [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = RecordingReflection.Justification)]
#if NET5_0_OR_GREATER
        // The BCL members read below (and by JsonValueWriter) by name, whatever the instantiation: a trimmed or native
        // AOT app keeps their metadata because this method is kept, so a tuple, a pair or a read-only view records as
        // under the JIT even when no woven signature names it. Roots on the generic definitions cover every instantiation.
        [DynamicDependency(DynamicallyAccessedMemberTypes.PublicFields, typeof(ValueTuple<>))]
        [DynamicDependency(DynamicallyAccessedMemberTypes.PublicFields, typeof(ValueTuple<,>))]
        [DynamicDependency(DynamicallyAccessedMemberTypes.PublicFields, typeof(ValueTuple<,,>))]
        [DynamicDependency(DynamicallyAccessedMemberTypes.PublicFields, typeof(ValueTuple<,,,>))]
        [DynamicDependency(DynamicallyAccessedMemberTypes.PublicFields, typeof(ValueTuple<,,,,>))]
        [DynamicDependency(DynamicallyAccessedMemberTypes.PublicFields, typeof(ValueTuple<,,,,,>))]
        [DynamicDependency(DynamicallyAccessedMemberTypes.PublicFields, typeof(ValueTuple<,,,,,,>))]
        [DynamicDependency(DynamicallyAccessedMemberTypes.PublicFields, typeof(ValueTuple<,,,,,,,>))]
        [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Tuple<>))]
        [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Tuple<,>))]
        [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Tuple<,,>))]
        [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Tuple<,,,>))]
        [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Tuple<,,,,>))]
        [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Tuple<,,,,,>))]
        [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Tuple<,,,,,,>))]
        [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(Tuple<,,,,,,,>))]
        [DynamicDependency(DynamicallyAccessedMemberTypes.PublicProperties, typeof(KeyValuePair<,>))]
        [DynamicDependency(DynamicallyAccessedMemberTypes.NonPublicProperties, typeof(ReadOnlyCollection<>))]
        [DynamicDependency(DynamicallyAccessedMemberTypes.NonPublicProperties, typeof(ReadOnlyDictionary<,>))]
        [DynamicDependency("Message", typeof(Exception))]
#endif
        public static ValueShape Classify(Type type, RecordingSettings settings)
        {
            if (IsScalar(type))
            {
                return new ValueShape(ValueKind.Scalar, type);
            }

            var formatter = ValueFormatters.Find(type, settings);
            if (formatter is not null || IsRecordToString(type))
            {
                return new ValueShape(ValueKind.Formatted, type) { Formatter = formatter };
            }

            if (type.IsEnum)
            {
                return new ValueShape(ValueKind.Enum, type);
            }

            if (type.IsArray)
            {
                return new ValueShape(type.GetArrayRank() == 1 ? ValueKind.Array : ValueKind.Placeholder, type);
            }

            if (typeof(Exception).IsAssignableFrom(type))
            {
                var message = type.GetProperty(nameof(Exception.Message), BindingFlags.Public | BindingFlags.Instance)?.GetMethod;
                return new ValueShape(ValueKind.Exception, type) { MessageIsFramework = message is not null && FrameworkTypes.Is(message.DeclaringType!) };
            }

            if (type.IsGenericType)
            {
                var definition = type.GetGenericTypeDefinition();
                var name = definition.FullName ?? string.Empty;
                if (FrameworkTypes.Is(definition))
                {
                    if (SequenceDefinitions.Contains(name))
                    {
                        return new ValueShape(ValueKind.Sequence, type);
                    }

                    if (DictionaryDefinitions.Contains(name))
                    {
                        return new ValueShape(ValueKind.Dictionary, type) { KeysAreNames = IsNameKey(type.GetGenericArguments()[0]) };
                    }

                    if (definition == typeof(ReadOnlyCollection<>))
                    {
                        return new ValueShape(ValueKind.Wrapper, type) { Wrapped = type.GetProperty("Items", BindingFlags.NonPublic | BindingFlags.Instance) };
                    }

                    if (definition == typeof(ReadOnlyDictionary<,>))
                    {
                        return new ValueShape(ValueKind.Wrapper, type) { Wrapped = type.GetProperty("Dictionary", BindingFlags.NonPublic | BindingFlags.Instance) };
                    }

                    if (definition == typeof(KeyValuePair<,>))
                    {
                        return new ValueShape(ValueKind.KeyValuePair, type);
                    }

                    if (name.StartsWith("System.ValueTuple`", StringComparison.Ordinal))
                    {
                        return new ValueShape(ValueKind.Tuple, type) { Items = TupleItems(type, fields: true) };
                    }

                    if (name.StartsWith("System.Tuple`", StringComparison.Ordinal))
                    {
                        return new ValueShape(ValueKind.Tuple, type) { Items = TupleItems(type, fields: false) };
                    }
                }
            }

            if (type == typeof(Hashtable))
            {
                return new ValueShape(ValueKind.Dictionary, type);
            }

            if (FrameworkTypes.Is(type) || IsOpaque(type))
            {
                // The BCL's other types (tasks, streams, handles, reflection, HttpClient, ...): their state is not the
                // program's data, and the ones that hold data are handled above.
                return new ValueShape(ValueKind.Placeholder, type);
            }

            var members = RecordedMembers.Of(type);
            return members.Length == 0
                ? new ValueShape(ValueKind.Placeholder, type)
                : new ValueShape(ValueKind.Object, type) { Members = members };
        }

        /// <summary>The types <see cref="JsonValueWriter"/> writes by their own case (a formatter cannot replace them).</summary>
        private static bool IsScalar(Type type) =>
            type.IsPrimitive || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid) || type == typeof(DateTime)
            || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Uri) || type == typeof(Version)
            || typeof(Type).IsAssignableFrom(type) || typeof(Delegate).IsAssignableFrom(type) || type == typeof(byte[])
            || type == typeof(System.Text.StringBuilder) || type == typeof(System.Globalization.CultureInfo)
            || type == typeof(System.Numerics.BigInteger)
#if NET8_0_OR_GREATER
            || type == typeof(System.Text.Json.JsonElement)
            || type == typeof(System.Text.Json.JsonDocument) || typeof(System.Text.Json.Nodes.JsonNode).IsAssignableFrom(type)
            || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(Half) || type == typeof(Int128) || type == typeof(UInt128)
#endif
            ;

        /// <summary>Types from outside the BCL whose values are work, not data: a query, an async stream, an enumerator.</summary>
        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = RecordingReflection.Justification)]
        [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = RecordingReflection.Justification)]
        private static bool IsOpaque(Type type)
        {
            if (typeof(IEnumerator).IsAssignableFrom(type) || typeof(Delegate).IsAssignableFrom(type)
                || typeof(System.Threading.Tasks.Task).IsAssignableFrom(type) || typeof(System.IO.Stream).IsAssignableFrom(type))
            {
                return true;
            }

            foreach (var face in type.GetInterfaces())
            {
                var name = face.IsGenericType ? face.GetGenericTypeDefinition().FullName : face.FullName;
                if (name == "System.Linq.IQueryable" || name == "System.Collections.Generic.IAsyncEnumerable`1")
                {
                    return true;
                }
            }

            // A compiler-generated sequence (an iterator, an async iterator): enumerating it would run its body.
            return type.Name.StartsWith("<", StringComparison.Ordinal) && typeof(IEnumerable).IsAssignableFrom(type);
        }

        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = RecordingReflection.Justification)]
        [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = RecordingReflection.Justification)]
        private static MemberInfo[] TupleItems(Type type, bool fields)
        {
            var count = type.GetGenericArguments().Length;
            var items = new MemberInfo[count];
            for (var i = 0; i < count; i++)
            {
                var name = i == 7 ? "Rest" : "Item" + (i + 1);
                items[i] = fields ? type.GetField(name)! : type.GetProperty(name)!;
            }

            return items;
        }

        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = RecordingReflection.Justification)]
        [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = RecordingReflection.Justification)]
        private static bool IsRecordToString(Type type)
        {
            for (var t = type; t is not null; t = t.BaseType)
            {
                if (RecordingReflection.HasAttribute(t, "Mirascope.Ops.RecordToStringAttribute"))
                {
                    return true;
                }
            }

            return type.GetInterfaces().Any(i => RecordingReflection.HasAttribute(i, "Mirascope.Ops.RecordToStringAttribute"));
        }

        /// <summary>Dictionary keys that make JSON property names: strings, numbers, enums, chars, booleans, GUIDs.</summary>
        private static bool IsNameKey(Type key) =>
            key == typeof(string) || key.IsEnum || key == typeof(Guid) || (key.IsPrimitive && key != typeof(IntPtr) && key != typeof(UIntPtr));
    }
}
