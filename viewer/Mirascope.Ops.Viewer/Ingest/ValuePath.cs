namespace Mirascope.Ops.Viewer.Ingest
{
    /// <summary>
    /// Where a value is in an OTLP/JSON request (<c>resourceSpans[0].scopeSpans[0].spans[3].attributes[5].value.intValue</c>),
    /// kept as its parts and made into text only when a problem is reported. Built eagerly, these texts were most of what
    /// the JSON decoder allocated per span (issue 28 item 6): several per attribute, none of them ever read.
    /// </summary>
    internal readonly struct ValuePath
    {
        private readonly string _owner;
        private readonly int _index;
        private readonly string? _suffix;
        private readonly string? _field;

        /// <summary><paramref name="owner"/>, then <c>[index]</c> when <paramref name="index"/> is not negative, then <paramref name="suffix"/>.</summary>
        public ValuePath(string owner, int index = -1, string? suffix = null)
            : this(owner, index, suffix, null)
        {
        }

        private ValuePath(string owner, int index, string? suffix, string? field)
        {
            _owner = owner;
            _index = index;
            _suffix = suffix;
            _field = field;
        }

        public static implicit operator ValuePath(string path) => new ValuePath(path);

        /// <summary>This path then <c>.field</c> (a path has at most one field added).</summary>
        public ValuePath Field(string field) => new ValuePath(_owner, _index, _suffix, field);

        public override string ToString()
        {
            var text = _index < 0 ? _owner + _suffix : $"{_owner}[{_index}]{_suffix}";
            return _field is null ? text : text + "." + _field;
        }
    }
}
