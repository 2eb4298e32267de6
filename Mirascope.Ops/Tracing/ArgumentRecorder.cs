using System;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Builds the <c>mirascope.trace.arg_values</c> JSON object of one call, argument by argument in declaration
    /// order, under one cap and one work budget for the whole object: an argument that does not fit is cut (or left
    /// out, with the object's marker element) and the arguments after it are left out. Instances are reused per
    /// thread; a recorder is taken while a call records its arguments, so a traced method called from opted-in
    /// recording code (which starts no span, see <see cref="RecordingGuard"/>) never shares it.
    /// </summary>
    internal sealed class ArgumentRecorder
    {
        [ThreadStatic]
        private static ArgumentRecorder? _cached;

        private readonly CappedJsonBuilder _json = new CappedJsonBuilder(RecordingLimits.MaxAttributeLength);
        private static readonly RecordedNames NoNames = RecordedNames.Of(Array.Empty<string>());

        private RecordedNames _names = NoNames;
        private int _next;
        // A cap too small for even "{}" and the marker (caps are at least 64 bytes, so only in tests): "{}" is recorded.
        private bool _unopened;

        /// <summary>When the recorder was taken (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>): what the trace's budget is charged from.</summary>
        public long StartedAt { get; private set; }

        /// <summary>Takes the thread's recorder for a call with parameters <paramref name="names"/> (escaped here: tests, tools).</summary>
        public static ArgumentRecorder Rent(string[] names) => Rent(RecordedNames.Of(names));

        /// <summary>Takes the thread's recorder for a call whose parameter names were escaped once, by its descriptor.</summary>
        public static ArgumentRecorder Rent(RecordedNames names)
        {
            var recorder = _cached ?? new ArgumentRecorder();
            _cached = null;
            recorder._names = names;
            recorder._next = 0;
            recorder.StartedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            recorder._json.Reset(RecordingLimits.MaxAttributeLength);
            recorder._unopened = !recorder._json.Open('{');
            return recorder;
        }

        public void Add<T>(T value)
        {
            if (Begin(out var mark))
            {
                End(mark, JsonValueWriter.Write(_json, value));
            }
        }

        public void AddText(string text)
        {
            if (Begin(out var mark))
            {
                End(mark, JsonValueWriter.TakeValue(_json) && JsonValueWriter.WriteString(_json, text));
            }
        }

        /// <summary>Records the next argument as its <c>ToString()</c> (a <c>[RecordToString]</c> parameter).</summary>
        public void AddFormatted(object? value)
        {
            if (Begin(out var mark))
            {
                End(mark, JsonValueWriter.TakeValue(_json)
                    && (value is null ? _json.TryAppendToken("null") : JsonValueWriter.WriteFormatted(_json, value, null, FriendlyTypeName.Of(value.GetType()))));
            }
        }

        /// <summary>Returns the finished JSON object and gives the recorder back to the thread.</summary>
        public string Finish()
        {
            if (!_unopened)
            {
                _json.Close('}');
            }

            var json = _unopened ? "{}" : _json.ToString();
            _json.Release();
            _names = NoNames;
            _cached = this;
            return json;
        }

        /// <summary>Writes the next argument's name; false when the object takes nothing more (cut, or no name left).</summary>
        private bool Begin(out BuilderMark mark)
        {
            mark = _json.Mark;
            if (_unopened || _json.IsTruncated || _next >= _names.Count)
            {
                _next++;
                return false;
            }

            if (_next > 0)
            {
                _json.Comma();
            }

            if (!_json.TryAppendRaw(_names.Json[_next], _names.Bytes[_next]))
            {
                _json.RollBackAndCut(mark, inObject: true, first: _next++ == 0);
                return false;
            }

            return true;
        }

        private void End(BuilderMark mark, bool written)
        {
            if (!written)
            {
                _json.RollBackAndCut(mark, inObject: true, first: _next == 0);
            }

            _next++;
        }
    }
}
