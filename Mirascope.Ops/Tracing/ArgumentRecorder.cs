using System;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Builds the <c>mirascope.trace.arg_values</c> JSON object of one call, argument by argument in declaration
    /// order, under one cap and one work budget for the whole object. Each argument gets its share: while one is
    /// written, <see cref="KeptBytesPerArgument"/> bytes and <see cref="KeptValuesPerArgument"/> values (or the
    /// argument's equal share of the cap and budget, when smaller) are kept aside for each argument after it, so a large
    /// argument is cut short rather than starving the ones after it, and every argument's name is present. Instances are reused per
    /// thread; a recorder is taken while a call records its arguments, so a traced method called from opted-in
    /// recording code (which starts no span, see <see cref="RecordingGuard"/>) never shares it.
    /// </summary>
    internal sealed class ArgumentRecorder
    {
        [ThreadStatic]
        private static ArgumentRecorder? _cached;

        private readonly CappedJsonBuilder _json = new CappedJsonBuilder(RecordingLimits.MaxAttributeLength);
        private static readonly RecordedNames NoNames = RecordedNames.Of(Array.Empty<string>());

        /// <summary>The room kept aside for each later argument while one is written (at most its equal share): 1 KiB.</summary>
        public const int KeptBytesPerArgument = 1024;

        /// <summary>The work budget kept aside for each later argument while one is written (at most its equal share): 8 values.</summary>
        public const int KeptValuesPerArgument = 8;

        private static readonly string QuotedMarker = "\"" + CappedJsonBuilder.Marker + "\"";

        private RecordedNames _names = NoNames;
        private int _savedLimit;
        private int _keptValues;
        private BuilderMark _afterName;
        private int _next;
        // A cap too small for even "{}" and the marker (caps are at least 64 bytes, so only in tests): "{}" is recorded.
        private bool _unopened;

        /// <summary>When the recorder was taken (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>): what the trace's budget is charged from.</summary>
        public long StartedAt { get; private set; }

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

            _afterName = _json.Mark;
            var later = _names.Count - _next - 1;
            var settings = RecordingSettings.Current;
            var keptBytes = later * Math.Min(KeptBytesPerArgument, settings.MaxAttributeLength / _names.Count);
            var keptValues = later * Math.Min(KeptValuesPerArgument, Math.Max(1, settings.MaxRecordedValues / _names.Count));
            _savedLimit = _json.BeginShare(keptBytes);
            _keptValues = _json.Walk.BeginShare(keptValues);
            return true;
        }

        private void End(BuilderMark mark, bool written)
        {
            _json.Walk.EndShare(_keptValues);
            _json.EndShare(_savedLimit);
            if (!written)
            {
                // Nothing of the value fit its share: the marker in its place, if that fits, else the object ends here.
                _json.RollBack(_afterName);
                if (_json.IsTruncated || !_json.TryAppendRaw(QuotedMarker, CappedJsonBuilder.MarkerBytes + 2))
                {
                    _json.RollBackAndCut(mark, inObject: true, first: _next == 0);
                }
            }

            _next++;
        }
    }
}
