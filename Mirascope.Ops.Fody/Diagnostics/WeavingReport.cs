using System.Collections.Generic;
using System.Linq;

namespace Mirascope.Ops.Fody.Diagnostics
{
    /// <summary>What the weaver did, logged at normal importance so a user sees what an assembly-wide switch covered.</summary>
    internal sealed class WeavingReport
    {
        private readonly SortedDictionary<string, int> _skipped = new SortedDictionary<string, int>(System.StringComparer.Ordinal);

        public int Woven { get; private set; }

        public void Wove() => Woven++;

        public void Skipped(string reason) => _skipped[reason] = _skipped.TryGetValue(reason, out var count) ? count + 1 : 1;

        public int SkippedCount => _skipped.Values.Sum();

        public override string ToString()
        {
            var text = $"Mirascope.Ops: wove {Woven} method(s)";
            if (_skipped.Count == 0)
            {
                return text + ".";
            }

            return text + $"; skipped {SkippedCount}: " + string.Join(", ", _skipped.Select(p => $"{p.Value} {p.Key}")) + ".";
        }
    }
}
