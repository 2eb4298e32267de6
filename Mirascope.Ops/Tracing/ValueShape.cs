using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Reflection;
using Mirascope.Ops.Weaving;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// What recording does with values of one runtime type, worked out once per type from metadata only (no member of
    /// the type runs) and cached. The rules: BCL scalars as themselves; arrays and the BCL collections whose enumeration
    /// runs only BCL code by their elements; user types by the backing fields of their public auto-properties and their
    /// public fields; a <c>[RecordToString]</c> type or one with a registered formatter through that; anything else
    /// (tasks, streams, lazy sequences, <c>IQueryable</c>, other BCL types, user collections) as a placeholder.
    /// </summary>
    internal sealed class ValueShape
    {
        internal ValueShape(ValueKind kind, Type type)
        {
            Kind = kind;
            Type = type;
            Name = PlaceholderName(type);
        }

        // The kind-specific properties below are set by ValueClassifier as it creates the shape, before the shape is
        // cached; nothing sets them after.

        public ValueKind Kind { get; }

        public Type Type { get; }

        /// <summary>The type as a person writes it, for placeholders and markers.</summary>
        public string Name { get; }

        /// <summary><see cref="ValueKind.Object"/>: the members in declaration order, base types first.</summary>
        public RecordedMember[] Members { get; internal set; } = System.Array.Empty<RecordedMember>();

        /// <summary><see cref="ValueKind.Dictionary"/>: keys become property names (strings, numbers, enums).</summary>
        public bool KeysAreNames { get; internal set; }

        /// <summary><see cref="ValueKind.Wrapper"/>: the BCL property that gives the wrapped collection.</summary>
        public PropertyInfo? Wrapped { get; internal set; }

        /// <summary><see cref="ValueKind.Tuple"/>: the item fields (value tuples) or properties (tuples), <c>Rest</c> last.</summary>
        public MemberInfo[] Items { get; internal set; } = System.Array.Empty<MemberInfo>();

        /// <summary><see cref="ValueKind.Formatted"/>: the registered formatter, or null for <c>ToString()</c>.</summary>
        public Func<object, string?>? Formatter { get; internal set; }

        /// <summary><see cref="ValueKind.Exception"/>: whether <c>Message</c> is the BCL's own code (safe to read).</summary>
        public bool MessageIsFramework { get; internal set; }

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
                return ValueClassifier.Classify(type, settings);
            }
            catch (Exception)
            {
                // Metadata that cannot be read (a type load failure of a member's type): record the type's name only.
                return new ValueShape(ValueKind.Placeholder, type);
            }
        }

        /// <summary>A C#, Visual Basic or F# anonymous type (the rule shared with the weaver: <see cref="AnonymousType"/>).</summary>
        internal static bool IsAnonymous(Type type) => AnonymousType.Is(type, type.Name, RecordingReflection.HasAttribute);

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
