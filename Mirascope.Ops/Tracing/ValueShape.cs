using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Collections.ObjectModel;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using Mirascope.Ops.Weaving;

namespace Mirascope.Ops.Tracing
{
    /// <summary>How a value of one runtime type is recorded.</summary>
    internal enum ValueKind
    {
        /// <summary>A BCL scalar (number, string, date, GUID, ...) or System.Text.Json document: written by its own case.</summary>
        Scalar,

        /// <summary><c>"&lt;TypeName&gt;"</c>: recording it would run code (a task, a lazy sequence, a stream), or it has nothing recordable.</summary>
        Placeholder,

        /// <summary>Its name (several names for a flags combination), as the enum's own <c>ToString()</c> gives.</summary>
        Enum,

        /// <summary>A one-dimensional array: its elements.</summary>
        Array,

        /// <summary>A BCL collection whose enumeration runs only BCL code (<c>List&lt;T&gt;</c>, <c>HashSet&lt;T&gt;</c>, ...): its elements.</summary>
        Sequence,

        /// <summary>A BCL dictionary: a JSON object when its keys are strings, numbers or enums, else <c>[{"key":..,"value":..}]</c>.</summary>
        Dictionary,

        /// <summary>A BCL wrapper (<c>ReadOnlyCollection&lt;T&gt;</c>, <c>ReadOnlyDictionary&lt;,&gt;</c>): recorded as what it wraps.</summary>
        Wrapper,

        /// <summary><c>Tuple&lt;...&gt;</c> or <c>ValueTuple&lt;...&gt;</c>: a JSON array of its items.</summary>
        Tuple,

        /// <summary><c>KeyValuePair&lt;,&gt;</c>: <c>{"Key":..,"Value":..}</c>.</summary>
        KeyValuePair,

        /// <summary>An exception: its type, and its message when the message is the BCL's own.</summary>
        Exception,

        /// <summary>A user type (class, struct, record, anonymous type): its public auto-properties and public fields.</summary>
        Object,

        /// <summary>Opted in: <c>[RecordToString]</c> on the type, or a registered formatter.</summary>
        Formatted,
    }

    /// <summary>One recorded member of a user type: a public field, or the backing field of a public auto-property.</summary>
    internal sealed class RecordedMember
    {
        // The shape of the member's values when its field type fixes their runtime type (a value type or a sealed
        // class), found on first use: no lookup per value after that.
        private readonly bool _fixedType;
        private ValueShape? _shape;

        public RecordedMember(string name, FieldInfo field, bool redacted, bool asString, bool omitWhenNull)
        {
            Name = name;
            Field = field;
            Redacted = redacted;
            AsString = asString;
            OmitWhenNull = omitWhenNull;
            var json = new CappedJsonBuilder(int.MaxValue);
            json.AppendString(name);
            json.Colon();
            NameJson = json.ToString();
            NameBytes = System.Text.Encoding.UTF8.GetByteCount(NameJson);
            var type = field.FieldType;
            _fixedType = (type.IsValueType && !(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Nullable<>))) || type.IsSealed;
        }

        public string Name { get; }

        /// <summary>The name as a JSON property name followed by its colon, escaped once.</summary>
        public string NameJson { get; }

        /// <summary><see cref="NameJson"/>'s size in UTF-8.</summary>
        public int NameBytes { get; }

        public FieldInfo Field { get; }

        /// <summary><c>[NoTrace]</c> on the member: <c>"[redacted]"</c>.</summary>
        public bool Redacted { get; }

        /// <summary><c>[RecordToString]</c> on the member.</summary>
        public bool AsString { get; }

        /// <summary><c>[JsonIgnore(Condition = WhenWritingNull or WhenWritingDefault)]</c>.</summary>
        public bool OmitWhenNull { get; }

        /// <summary>The shape of <paramref name="value"/>, a value of this member.</summary>
        public ValueShape ShapeOf(object value)
        {
            if (!_fixedType)
            {
                return ValueShape.Of(value.GetType());
            }

            var shape = _shape;
            if (shape is null || !shape.IsCurrent(RecordingSettings.Current))
            {
                shape = ValueShape.Of(value.GetType());
                _shape = shape;
            }

            return shape;
        }
    }

    /// <summary>
    /// What recording does with values of one runtime type, worked out once per type from metadata only (no member of
    /// the type runs) and cached. The rules: BCL scalars as themselves; arrays and the BCL collections whose enumeration
    /// runs only BCL code by their elements; user types by the backing fields of their public auto-properties and their
    /// public fields; a <c>[RecordToString]</c> type or one with a registered formatter through that; anything else
    /// (tasks, streams, lazy sequences, <c>IQueryable</c>, other BCL types, user collections) as a placeholder.
    /// </summary>
    internal sealed class ValueShape
    {
        private static readonly HashSet<string> SequenceDefinitions = new HashSet<string>(StringComparer.Ordinal)
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

        private static readonly HashSet<string> DictionaryDefinitions = new HashSet<string>(StringComparer.Ordinal)
        {
            "System.Collections.Generic.Dictionary`2",
            "System.Collections.Generic.SortedDictionary`2",
            "System.Collections.Generic.SortedList`2",
            "System.Collections.Concurrent.ConcurrentDictionary`2",
            "System.Collections.Immutable.ImmutableDictionary`2",
            "System.Collections.Immutable.ImmutableSortedDictionary`2",
            "System.Collections.Frozen.FrozenDictionary`2",
        };

        private ValueShape(ValueKind kind, Type type)
        {
            Kind = kind;
            Type = type;
            Name = PlaceholderName(type);
        }

        public ValueKind Kind { get; }

        public Type Type { get; }

        /// <summary>The type as a person writes it, for placeholders and markers.</summary>
        public string Name { get; }

        /// <summary><see cref="ValueKind.Object"/>: the members in declaration order, base types first.</summary>
        public RecordedMember[] Members { get; private set; } = System.Array.Empty<RecordedMember>();

        /// <summary><see cref="ValueKind.Dictionary"/>: keys become property names (strings, numbers, enums).</summary>
        public bool KeysAreNames { get; private set; }

        /// <summary><see cref="ValueKind.Wrapper"/>: the BCL property that gives the wrapped collection.</summary>
        public PropertyInfo? Wrapped { get; private set; }

        /// <summary><see cref="ValueKind.Tuple"/>: the item fields (value tuples) or properties (tuples), <c>Rest</c> last.</summary>
        public MemberInfo[] Items { get; private set; } = System.Array.Empty<MemberInfo>();

        /// <summary><see cref="ValueKind.Formatted"/>: the registered formatter, or null for <c>ToString()</c>.</summary>
        public Func<object, string?>? Formatter { get; private set; }

        /// <summary><see cref="ValueKind.Exception"/>: whether <c>Message</c> is the BCL's own code (safe to read).</summary>
        public bool MessageIsFramework { get; private set; }

        [ThreadStatic]
        private static ValueShape? _last;

        public static ValueShape Of(Type type)
        {
            // Call-heavy code records the same few types over and over: the thread's last answer is checked first.
            var settings = RecordingSettings.Current;
            var last = _last;
            if (last is not null && last.Type == type && ReferenceEquals(last._cache, settings.Shapes))
            {
                return last;
            }

            last = Lookup(type, settings);
            _last = last;
            return last;
        }

        private static ValueShape Lookup(Type type, RecordingSettings settings)
        {
            // A shape is cached only in the cache of the snapshot whose formatters classified it: a formatter
            // registered meanwhile publishes a new snapshot with a new cache, and this shape is never served from it.
            var shapes = settings.Shapes.Shapes;
            if (!shapes.TryGetValue(type, out var shape))
            {
                var created = Create(type, settings);
                created._cache = settings.Shapes;
                shape = shapes.GetOrAdd(type, created);
            }

            return shape;
        }

        private RecordingSettings.ShapeCache? _cache;

        /// <summary>False once a formatter was registered or removed after this shape was worked out.</summary>
        public bool IsCurrent(RecordingSettings settings) => ReferenceEquals(_cache, settings.Shapes);

        private static ValueShape Create(Type type, RecordingSettings settings)
        {
            try
            {
                return Classify(type, settings);
            }
            catch (Exception)
            {
                // Metadata that cannot be read (a type load failure of a member's type): record the type's name only.
                return new ValueShape(ValueKind.Placeholder, type);
            }
        }

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
        private static ValueShape Classify(Type type, RecordingSettings settings)
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
                return new ValueShape(ValueKind.Exception, type) { MessageIsFramework = message is not null && IsFramework(message.DeclaringType!) };
            }

            if (type.IsGenericType)
            {
                var definition = type.GetGenericTypeDefinition();
                var name = definition.FullName ?? string.Empty;
                if (IsFramework(definition))
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

            if (IsFramework(type) || IsOpaque(type))
            {
                // The BCL's other types (tasks, streams, handles, reflection, HttpClient, ...): their state is not the
                // program's data, and the ones that hold data are handled above.
                return new ValueShape(ValueKind.Placeholder, type);
            }

            var members = UserMembers(type);
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
        private static RecordedMember[] UserMembers(Type type)
        {
            var chain = new List<Type>();
            for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType) && !IsFramework(t); t = t.BaseType)
            {
                chain.Add(t);
            }

            chain.Reverse();
            var anonymous = IsAnonymous(type);
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
            var fieldName = anonymous ? "<" + property.Name + ">i__Field" : "<" + property.Name + ">k__BackingField";
            var field = declaring.GetField(fieldName, BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                ?? NamedBackingField(declaring, property);
            return field is null ? null : FromMember(property, field);
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
            return IsFramework(definition)
                && (SequenceDefinitions.Contains(name) || DictionaryDefinitions.Contains(name) || ContentInterfaces.Contains(name));
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
                if (HasAttribute(t, "Mirascope.Ops.RecordToStringAttribute"))
                {
                    return true;
                }
            }

            return type.GetInterfaces().Any(i => HasAttribute(i, "Mirascope.Ops.RecordToStringAttribute"));
        }

        private static bool HasAttribute(MemberInfo member, string fullName)
        {
            foreach (var attribute in member.CustomAttributes)
            {
                if (attribute.AttributeType.FullName == fullName)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsAnonymous(Type type) =>
            type.Name.Contains("AnonymousType") && HasAttribute(type, typeof(CompilerGeneratedAttribute).FullName!);

        /// <summary>Dictionary keys that make JSON property names: strings, numbers, enums, chars, booleans, GUIDs.</summary>
        private static bool IsNameKey(Type key) =>
            key == typeof(string) || key.IsEnum || key == typeof(Guid) || (key.IsPrimitive && key != typeof(IntPtr) && key != typeof(UIntPtr));

        /// <summary>
        /// Whether <paramref name="type"/> is the .NET base class library's: CoreLib, or a <c>System.*</c> assembly
        /// signed with one of the framework's keys (a user assembly named <c>System.Foo</c> is not).
        /// </summary>
        internal static bool IsFramework(Type type)
        {
            var assembly = type.Assembly;
            if (assembly == typeof(object).Assembly)
            {
                return true;
            }

            return FrameworkAssemblies.GetOrAdd(assembly, IsFrameworkAssembly);
        }

        private static readonly ConcurrentDictionary<Assembly, bool> FrameworkAssemblies = new ConcurrentDictionary<Assembly, bool>();

        private static bool IsFrameworkAssembly(Assembly assembly)
        {
            var name = assembly.GetName();
            return FrameworkAssembly.Is(name.Name, name.GetPublicKeyToken());
        }

        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = RecordingReflection.Justification)]
        [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = RecordingReflection.Justification)]
        private static string PlaceholderName(Type type)
        {
            if (IsAnonymous(type))
            {
                return "anonymous type";
            }

            if (type.Name.StartsWith("<", StringComparison.Ordinal))
            {
                // Compiler-generated (an iterator, a closure): named by the sequence it is, not its mangled name.
                var sequence = type.GetInterfaces().FirstOrDefault(i => i.IsGenericType
                    && (i.GetGenericTypeDefinition() == typeof(IEnumerable<>) || i.GetGenericTypeDefinition().FullName == "System.Collections.Generic.IAsyncEnumerable`1"));
                if (sequence is not null)
                {
                    return FriendlyTypeName.Of(sequence);
                }
            }

            return FriendlyTypeName.Of(type);
        }
    }
}
