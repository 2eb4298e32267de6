using System;
using System.Threading;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text;
using Mirascope.Ops.Diagnostics;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Writes one recorded value as compact JSON without running any of the program's code: no property getter, no
    /// <c>ToString()</c>, no enumerator, <c>Count</c>, <c>Equals</c> or <c>GetHashCode</c> of the program's types, no
    /// user converter. What runs is this runtime's code and the BCL's own side-effect-free members (formatting a
    /// number or a date, enumerating a <c>List&lt;T&gt;</c>). How each type is recorded is in <see cref="ValueShape"/>;
    /// the only way to run the program's code is to opt in (<see cref="RecordToStringAttribute"/>, a registered
    /// formatter), and that code runs with tracing suspended on the thread (<see cref="RecordingGuard"/>).
    /// Bounded by the byte cap, the work budget (<see cref="RecordingLimits.MaxRecordedValues"/>) and the depth limit
    /// (<see cref="RecordingLimits.MaxRecordedDepth"/>); a reference cycle is a <c>"&lt;Type: cycle&gt;"</c> marker.
    /// Never throws.
    /// </summary>
    internal static class JsonValueWriter
    {
        /// <summary>Writes a whole document's value: the marker string when not even part of it fits.</summary>
        public static void WriteObject(CappedJsonBuilder builder, object? value)
        {
            var mark = builder.Mark;
            if (!WriteValue(builder, value))
            {
                builder.RollBack(mark);
                builder.AppendAscii("\"" + CappedJsonBuilder.Marker + "\"");
            }
        }

        /// <summary>
        /// Writes one value; false when nothing of it was written (the budget was spent): the caller ends its container
        /// with the marker element instead. Numbers, booleans and strings of a known static type go without boxing
        /// (the <c>typeof(T)</c> tests fold away in the JIT).
        /// </summary>
        public static bool Write<T>(CappedJsonBuilder builder, T value)
        {
            if (typeof(T) == typeof(int)) { return TakeValue(builder) && builder.TryAppendNumber((int)(object)value!); }
            if (typeof(T) == typeof(long)) { return TakeValue(builder) && builder.TryAppendNumber((long)(object)value!); }
            if (typeof(T) == typeof(bool)) { return TakeValue(builder) && builder.TryAppendToken((bool)(object)value! ? "true" : "false"); }
            if (typeof(T) == typeof(double)) { return TakeValue(builder) && WriteDouble(builder, (double)(object)value!); }
            if (typeof(T) == typeof(string)) { return TakeValue(builder) && WriteString(builder, (string?)(object?)value); }
            return WriteValue(builder, value);
        }

        /// <summary>Writes one value of any type; false when nothing of it was written.</summary>
        public static bool WriteValue(CappedJsonBuilder builder, object? value) => WriteValue(builder, value, null);

        /// <summary>Writes one value whose member says what shape it has (a sealed or value-type field), or looks it up.</summary>
        private static bool WriteValue(CappedJsonBuilder builder, object? value, RecordedMember? member)
        {
            if (!TakeValue(builder))
            {
                return false;
            }

            var mark = builder.Mark;
            var depth = builder.Walk.Depth;
            try
            {
                return WriteTaken(builder, value, member);
            }
            catch (Exception ex)
            {
                // Whatever the value had written is taken back, so the document stays well-formed.
                builder.RollBack(mark);
                builder.Walk.LeaveTo(depth);

                // Reflection over a type that fails to load, a BCL collection changed while it was enumerated: the
                // recording of this value ends here, the program is not affected.
                OpsEventSource.Log.ValueNotSerializable(value?.GetType().FullName ?? "?", ex.Message);
                return builder.AppendString("<" + (value is null ? "null" : FriendlyTypeName.Of(value.GetType())) + ": not recorded>");
            }
        }

        /// <summary>Writes a string value: the whole document's cap at the top, the nested cap inside containers.</summary>
        public static bool WriteString(CappedJsonBuilder builder, string? value)
        {
            if (value is null)
            {
                return builder.TryAppendToken("null");
            }

            return builder.AppendString(value.AsSpan(), builder.Walk.Depth == 0 ? int.MaxValue : RecordingLimits.MaxNestedStringLength);
        }

        private static bool WriteTaken(CappedJsonBuilder builder, object? value, RecordedMember? member = null)
        {
            // The most common values first, without a lookup (sealed types: each test is one type-handle compare).
            switch (value)
            {
                case null: return builder.TryAppendToken("null");
                case string s: return WriteString(builder, s);
                case int i: return builder.TryAppendNumber(i);
                case bool b: return builder.TryAppendToken(b ? "true" : "false");
                case long l: return builder.TryAppendNumber(l);
                case double d: return WriteDouble(builder, d);

                // Text in a buffer: recorded as the string it holds, cut like strings (not as one-letter strings).
                case char[] chars: return builder.AppendString(chars.AsSpan(), builder.Walk.Depth == 0 ? int.MaxValue : RecordingLimits.MaxNestedStringLength);

                // What a token tells: whether cancellation was requested (BCL code reads one field; nothing else runs).
                case CancellationToken token: return WriteCancellationToken(builder, token);
#if NET8_0_OR_GREATER

                // A Unicode scalar (a parser's current character): the character itself.
                case System.Text.Rune rune: return builder.AppendString(rune.ToString());
#endif
            }

            // One cached lookup by runtime type decides (none for a member whose field type fixes it); only scalars
            // go on to test their type case by case.
            var shape = member is null ? ValueShape.Of(value.GetType()) : member.ShapeOf(value);
            switch (shape.Kind)
            {
                case ValueKind.Scalar: return WriteScalar(builder, value);
                case ValueKind.Enum: return builder.AppendString(value.ToString());
                case ValueKind.Array: return WriteArray(builder, (Array)value, shape);
                case ValueKind.Sequence: return WriteSequence(builder, (IEnumerable)value, shape);
                case ValueKind.Dictionary: return WriteDictionary(builder, (IDictionary)value, shape);
                case ValueKind.Wrapper: return WriteWrapped(builder, value, shape);
                case ValueKind.Tuple: return WriteTuple(builder, value, shape);
                case ValueKind.KeyValuePair: return WriteKeyValuePair(builder, value, shape);
                case ValueKind.Exception: return WriteException(builder, (Exception)value, shape);
                case ValueKind.Object: return WriteMembers(builder, value, shape);
                case ValueKind.Formatted: return WriteFormatted(builder, value, shape.Formatter, shape.Name);
                default: return builder.AppendString("<" + shape.Name + ">");
            }
        }

        private static bool WriteCancellationToken(CappedJsonBuilder builder, CancellationToken token) =>
            builder.TryAppendToken(token.IsCancellationRequested ? "{\"canceled\":true}" : "{\"canceled\":false}");

        private static bool WriteScalar(CappedJsonBuilder builder, object value)
        {
            switch (value)
            {
                case bool b: return builder.TryAppendToken(b ? "true" : "false");
                case int i: return builder.TryAppendNumber(i);
                case long l: return builder.TryAppendNumber(l);
                case short sh: return builder.TryAppendNumber(sh);
                case sbyte sb: return builder.TryAppendNumber(sb);
                case byte by: return builder.TryAppendNumber(by);
                case ushort us: return builder.TryAppendNumber(us);
                case uint ui: return builder.TryAppendNumber(ui);
                case ulong ul: return builder.TryAppendNumber(ul);
                case double d: return WriteDouble(builder, d);
                case float f: return WriteDouble(builder, f);
                case decimal m: return builder.TryAppendNumber(m);
                case char c: return builder.AppendString(c);
                case Guid g: return builder.AppendString(g.ToString());
                case DateTime dt: return builder.AppendString(dt.ToString("O", CultureInfo.InvariantCulture));
                case DateTimeOffset dto: return builder.AppendString(dto.ToString("O", CultureInfo.InvariantCulture));
                case TimeSpan ts: return builder.AppendString(ts.ToString("c", CultureInfo.InvariantCulture));
                case Uri uri: return WriteString(builder, uri.OriginalString);
                case Version version: return builder.AppendString(version.ToString());
                case Type type: return builder.AppendString(type.FullName ?? type.Name);
                case Delegate del: return builder.AppendString(DescribeDelegate(del));
                case byte[] bytes: return WriteBase64(builder, bytes);
                case StringBuilder text: return WriteStringBuilder(builder, text);
                case CultureInfo culture when culture.GetType() == typeof(CultureInfo): return builder.AppendString(culture.Name);
#if NET8_0_OR_GREATER
                case DateOnly date: return builder.AppendString(date.ToString("O", CultureInfo.InvariantCulture));
                case TimeOnly time: return builder.AppendString(time.ToString("O", CultureInfo.InvariantCulture));
                case Half half: return WriteDouble(builder, (double)half);
                case Int128 big: return builder.TryAppendNumber(big);
                case UInt128 ubig: return builder.TryAppendNumber(ubig);
                case nint n: return builder.TryAppendNumber((long)n);
                case nuint un: return builder.TryAppendNumber((ulong)un);
#endif
                case System.Numerics.BigInteger integer: return WriteBigInteger(builder, integer);
            }

#if NET8_0_OR_GREATER
            if (JsonDomWriter.TryWrite(builder, value, out var written)) return written;
#endif
            return builder.AppendString("<" + FriendlyTypeName.Of(value.GetType()) + ">");
        }

        /// <summary>Records <paramref name="value"/> as <paramref name="format"/> gives it, or its <c>ToString()</c>: opted-in code.</summary>
        public static bool WriteFormatted(CappedJsonBuilder builder, object value, Func<object, string?>? format, string typeName)
        {
            string? text;
            try
            {
                text = RecordingGuard.Run(format ?? ToStringOf, value);
            }
            catch (Exception ex)
            {
                return builder.AppendString("<" + typeName + ": " + (format is null ? "ToString()" : "formatter") + " threw " + ex.GetType().Name + ">");
            }

            return text is null ? builder.TryAppendToken("null") : WriteString(builder, text);
        }

        private static readonly Func<object, string?> ToStringOf = value => value.ToString();

        /// <summary>Takes one value from the work budget; false (and the document is cut) when it is spent.</summary>
        internal static bool TakeValue(CappedJsonBuilder builder) => builder.Walk.TakeValue() || Spent(builder);

        private static bool Spent(CappedJsonBuilder builder)
        {
            builder.Cut();
            return false;
        }

        /// <summary>
        /// Opens a container for <paramref name="value"/> unless the depth limit or a cycle stops it (a marker then
        /// stands for it); <paramref name="written"/> says what the caller returns when this returns false.
        /// </summary>
        private static bool Enter(CappedJsonBuilder builder, object value, ValueShape shape, char bracket, out bool written)
        {
            var walk = builder.Walk;
            if (!shape.Type.IsValueType && walk.IsAncestor(value))
            {
                written = builder.AppendString("<" + shape.Name + ": cycle>");
                return false;
            }

            if (walk.Depth >= RecordingLimits.MaxRecordedDepth)
            {
                written = builder.AppendString("<" + shape.Name + ": max depth>");
                return false;
            }

            if (!builder.Open(bracket))
            {
                written = false;
                return false;
            }

            walk.Enter(shape.Type.IsValueType ? null : value);
            written = true;
            return true;
        }

        /// <summary>
        /// Closes a container; false when the budget ran out before its first element, so the caller takes back the
        /// empty container and its own marker stands for it.
        /// </summary>
        internal static bool Exit(CappedJsonBuilder builder, char bracket, bool empty)
        {
            builder.Walk.Leave();
            if (empty && builder.IsTruncated)
            {
                return false;
            }

            builder.Close(bracket);
            return true;
        }

        /// <summary>
        /// Writes one element of an open container after its comma (and, in an object, its name): false when it did
        /// not fit at all, in which case the element is taken back and the container ends with the marker element.
        /// Nothing fitted before the first element: the container itself is taken back by its caller (see <see cref="Exit"/>).
        /// </summary>
        internal static bool Element(CappedJsonBuilder builder, BuilderMark mark, bool wrote, bool inObject, ref bool first)
        {
            if (!wrote)
            {
                if (first)
                {
                    builder.RollBack(mark);
                    builder.Cut();
                }
                else
                {
                    builder.RollBackAndCut(mark, inObject, first: false);
                }

                return false;
            }

            // Written, but cut inside (a string or a nested container ends in its own marker): nothing more goes in.
            first = false;
            return !builder.IsTruncated;
        }

        private static bool WriteArray(CappedJsonBuilder builder, Array array, ValueShape shape)
        {
            if (!Enter(builder, array, shape, '[', out var written))
            {
                return written;
            }

            var first = true;
            switch (array)
            {
                case object?[] objects:
                    WriteItems(builder, objects, ref first);
                    break;
                case int[] ints:
                    WriteItems(builder, ints, ref first);
                    break;
                case long[] longs:
                    WriteItems(builder, longs, ref first);
                    break;
                case double[] doubles:
                    WriteItems(builder, doubles, ref first);
                    break;
                default:
                    for (var i = 0; i < array.Length; i++)
                    {
                        var mark = builder.Mark;
                        if (!first) builder.Comma();
                        if (!Element(builder, mark, WriteValue(builder, array.GetValue(i)), inObject: false, ref first)) break;
                    }

                    break;
            }

            return Exit(builder, ']', first);
        }

        /// <summary>The elements of an array whose element type is known here: numbers are written without boxing.</summary>
        private static void WriteItems<T>(CappedJsonBuilder builder, T[] items, ref bool first)
        {
            foreach (var item in items)
            {
                var mark = builder.Mark;
                if (!first) builder.Comma();
                if (!Element(builder, mark, Write(builder, item), inObject: false, ref first)) return;
            }
        }

        private static bool WriteSequence(CappedJsonBuilder builder, IEnumerable sequence, ValueShape shape)
        {
            if (!Enter(builder, sequence, shape, '[', out var written))
            {
                return written;
            }

            var first = true;
            foreach (var item in sequence)
            {
                var mark = builder.Mark;
                if (!first) builder.Comma();
                if (!Element(builder, mark, WriteValue(builder, item), inObject: false, ref first)) break;
            }

            return Exit(builder, ']', first);
        }

        private static bool WriteDictionary(CappedJsonBuilder builder, IDictionary dictionary, ValueShape shape)
        {
            var asObject = shape.KeysAreNames;
            if (!Enter(builder, dictionary, shape, asObject ? '{' : '[', out var written))
            {
                return written;
            }

            var first = true;
            var entries = dictionary.GetEnumerator();
            try
            {
                while (entries.MoveNext())
                {
                    var entry = entries.Entry;
                    var mark = builder.Mark;
                    if (!first) builder.Comma();
                    bool wrote;
                    if (asObject)
                    {
                        wrote = WriteName(builder, KeyName(entry.Key)) && WriteValue(builder, entry.Value);
                    }
                    else
                    {
                        // Keys that are not names: [{"key":..,"value":..}], each key recorded under the same rules.
                        wrote = builder.Open('{') && WriteName(builder, "key") && WriteValue(builder, entry.Key)
                            && !builder.IsTruncated && Comma(builder) && WriteName(builder, "value") && WriteValue(builder, entry.Value);
                        if (wrote)
                        {
                            builder.Close('}');
                        }
                    }

                    if (!Element(builder, mark, wrote, asObject, ref first)) break;
                }
            }
            finally
            {
                (entries as IDisposable)?.Dispose();
            }

            return Exit(builder, asObject ? '}' : ']', first);
        }

        private static bool Comma(CappedJsonBuilder builder)
        {
            builder.Comma();
            return true;
        }

        private static string KeyName(object key) => key switch
        {
            string s => s,
            Enum e => e.ToString(),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => key.ToString() ?? string.Empty,
        };

        /// <summary>Writes a property name and its colon, whole or not at all.</summary>
        internal static bool WriteName(CappedJsonBuilder builder, string name)
        {
            if (!builder.AppendString(name) || builder.IsTruncated)
            {
                builder.Cut();
                return false;
            }

            builder.Colon();
            return true;
        }

        private static bool WriteWrapped(CappedJsonBuilder builder, object value, ValueShape shape)
        {
            // A read-only view records as the collection it shows (which may be the program's own type: same rules).
            var inner = shape.Wrapped?.GetValue(value);
            return inner is null ? builder.AppendString("<" + shape.Name + ">") : WriteTaken(builder, inner);
        }

        private static bool WriteTuple(CappedJsonBuilder builder, object tuple, ValueShape shape)
        {
            if (!Enter(builder, tuple, shape, '[', out var written))
            {
                return written;
            }

            var first = true;
            WriteTupleItems(builder, tuple, shape, ref first);
            return Exit(builder, ']', first);
        }

        /// <summary>The items of a tuple; a <c>Rest</c> tuple's items continue the same array.</summary>
        private static bool WriteTupleItems(CappedJsonBuilder builder, object tuple, ValueShape shape, ref bool first)
        {
            foreach (var member in shape.Items)
            {
                var item = member is FieldInfo field ? field.GetValue(tuple) : ((PropertyInfo)member).GetValue(tuple);
                if (member.Name == "Rest" && item is not null)
                {
                    var rest = ValueShape.Of(item.GetType());
                    if (rest.Kind == ValueKind.Tuple)
                    {
                        return WriteTupleItems(builder, item, rest, ref first);
                    }
                }

                var mark = builder.Mark;
                if (!first) builder.Comma();
                if (!Element(builder, mark, WriteValue(builder, item), inObject: false, ref first)) return false;
            }

            return true;
        }

        [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = RecordingReflection.Justification)]
        [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = RecordingReflection.Justification)]
        private static bool WriteKeyValuePair(CappedJsonBuilder builder, object pair, ValueShape shape)
        {
            if (!Enter(builder, pair, shape, '{', out var written))
            {
                return written;
            }

            // KeyValuePair's Key and Value are the BCL's own getters of its two fields.
            var key = shape.Type.GetProperty("Key")!.GetValue(pair);
            var value = shape.Type.GetProperty("Value")!.GetValue(pair);
            var first = true;
            var mark = builder.Mark;
            if (Element(builder, mark, WriteName(builder, "Key") && WriteValue(builder, key), inObject: true, ref first))
            {
                mark = builder.Mark;
                builder.Comma();
                Element(builder, mark, WriteName(builder, "Value") && WriteValue(builder, value), inObject: true, ref first);
            }

            return Exit(builder, '}', first);
        }

        private static bool WriteException(CappedJsonBuilder builder, Exception exception, ValueShape shape)
        {
            if (!Enter(builder, exception, shape, '{', out var written))
            {
                return written;
            }

            // The message as error recording reads it: a user exception's computed Message never runs.
            var first = true;
            var mark = builder.Mark;
            if (Element(builder, mark, WriteName(builder, "type") && builder.AppendString(shape.Type.FullName ?? shape.Name), inObject: true, ref first))
            {
                mark = builder.Mark;
                builder.Comma();
                Element(builder, mark, WriteName(builder, "message") && WriteString(builder, ErrorRecorder.Message(exception)), inObject: true, ref first);
            }

            return Exit(builder, '}', first);
        }

        private static bool WriteMembers(CappedJsonBuilder builder, object value, ValueShape shape)
        {
            if (!Enter(builder, value, shape, '{', out var written))
            {
                return written;
            }

            var first = true;
            foreach (var member in shape.Members)
            {
                var memberValue = member.Field.GetValue(value);
                if (memberValue is null && member.OmitWhenNull)
                {
                    continue;
                }

                var mark = builder.Mark;
                if (!first) builder.Comma();
                bool wrote;
                if (!builder.TryAppendRaw(member.NameJson, member.NameBytes))
                {
                    wrote = false;
                }
                else if (member.Redacted)
                {
                    wrote = TakeValue(builder) && builder.AppendString("[redacted]");
                }
                else if (member.AsString && memberValue is not null)
                {
                    wrote = TakeValue(builder) && WriteFormatted(builder, memberValue, null, FriendlyTypeName.Of(memberValue.GetType()));
                }
                else
                {
                    wrote = WriteValue(builder, memberValue, member);
                }

                if (!Element(builder, mark, wrote, inObject: true, ref first)) break;
            }

            return Exit(builder, '}', first);
        }

        private static bool WriteDouble(CappedJsonBuilder builder, double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                // JSON has no NaN or Infinity; a string keeps the value readable instead of breaking the document.
                return builder.AppendString(value.ToString(CultureInfo.InvariantCulture));
            }

            return builder.TryAppendNumber(value, "R");
        }

        private static bool WriteBigInteger(CappedJsonBuilder builder, System.Numerics.BigInteger value)
        {
            // A huge integer is cut as text rather than formatted whole: 16 KiB of digits is the cap anyway.
            return System.Numerics.BigInteger.Abs(value).ToByteArray().Length > 64
                ? builder.AppendString("<BigInteger>")
                : builder.TryAppendToken(value.ToString(CultureInfo.InvariantCulture));
        }

        private static bool WriteBase64(CappedJsonBuilder builder, byte[] bytes)
        {
            // As System.Text.Json writes byte arrays; only the part that can fit is encoded.
            var fits = Math.Min(bytes.Length, (Math.Max(0, RecordingLimits.MaxAttributeLength) / 4 * 3) + 3);
            return WriteString(builder, Convert.ToBase64String(bytes, 0, fits));
        }

        private static bool WriteStringBuilder(CappedJsonBuilder builder, StringBuilder text)
        {
            // Only the prefix that can fit is copied out of the builder.
            var length = Math.Min(text.Length, RecordingLimits.MaxAttributeLength + 1);
            return WriteString(builder, text.ToString(0, length));
        }

        private static string DescribeDelegate(Delegate value)
        {
            var method = value.Method;
            return method.DeclaringType is null ? method.Name : FriendlyTypeName.Of(method.DeclaringType) + "." + method.Name;
        }
    }
}
