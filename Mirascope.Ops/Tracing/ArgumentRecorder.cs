using System;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// Builds the <c>mirascope.trace.arg_values</c> JSON object of one call, argument by argument in declaration
    /// order. Instances are reused per thread; a recorder is taken while a call records its arguments, so a traced
    /// method called from inside serialization (a traced property getter) gets a fresh one.
    /// </summary>
    internal sealed class ArgumentRecorder
    {
        [ThreadStatic]
        private static ArgumentRecorder? _cached;

        private readonly CappedJsonBuilder _json = new CappedJsonBuilder(RecordingLimits.MaxAttributeLength);
        private string[] _names = Array.Empty<string>();
        private int _next;

        public static ArgumentRecorder Rent(string[] names)
        {
            var recorder = _cached ?? new ArgumentRecorder();
            _cached = null;
            recorder._names = names;
            recorder._next = 0;
            recorder._json.Reset(RecordingLimits.MaxAttributeLength);
            recorder._json.AppendAscii('{');
            return recorder;
        }

        public void Add<T>(T value)
        {
            if (!BeginNext())
            {
                return;
            }

            JsonValueWriter.Write(_json, value);
        }

        public void AddRaw(string json)
        {
            if (BeginNext())
            {
                _json.AppendAscii(json);
            }
        }

        public void AddText(string text)
        {
            if (BeginNext())
            {
                _json.AppendString(text);
            }
        }

        /// <summary>Returns the finished JSON object and gives the recorder back to the thread.</summary>
        public string Finish()
        {
            _json.AppendAscii('}');
            var json = _json.ToString();
            _json.Release();
            _names = Array.Empty<string>();
            _cached = this;
            return json;
        }

        private bool BeginNext()
        {
            if (_next >= _names.Length)
            {
                return false;
            }

            if (_next > 0)
            {
                _json.AppendAscii(',');
            }

            _json.AppendString(_names[_next++]);
            _json.AppendAscii(':');
            return true;
        }
    }
}
