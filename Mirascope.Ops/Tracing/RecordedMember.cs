using System;
using System.Reflection;

namespace Mirascope.Ops.Tracing
{
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
}
