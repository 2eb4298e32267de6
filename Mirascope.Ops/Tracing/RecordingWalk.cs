using System;

namespace Mirascope.Ops.Tracing
{
    /// <summary>
    /// The state of one recorded document's walk over object graphs: the work budget (values left to visit, see
    /// <see cref="RecordingLimits.MaxRecordedValues"/>) and the objects being recorded around the current one, for
    /// reference-cycle detection by identity (no <c>Equals</c>/<c>GetHashCode</c> of the program's types runs).
    /// </summary>
    internal sealed class RecordingWalk
    {
        private object?[] _ancestors = new object?[8];
        private int _count;

        /// <summary>Values the walk may still visit.</summary>
        public int ValuesLeft { get; private set; }

        /// <summary>How many containers and objects enclose the value being written.</summary>
        public int Depth => _count;

        public void Reset()
        {
            ValuesLeft = RecordingLimits.MaxRecordedValues;
            Array.Clear(_ancestors, 0, _count);
            _count = 0;
        }

        /// <summary>Keeps up to <paramref name="values"/> of the work budget aside for later arguments; returns how many were kept.</summary>
        public int BeginShare(int values)
        {
            var kept = Math.Min(Math.Max(0, values), ValuesLeft);
            ValuesLeft -= kept;
            return kept;
        }

        /// <summary>Gives back what <see cref="BeginShare"/> kept aside.</summary>
        public void EndShare(int kept) => ValuesLeft += kept;

        /// <summary>Takes one value from the work budget; false when it is spent.</summary>
        public bool TakeValue()
        {
            if (ValuesLeft <= 0)
            {
                return false;
            }

            ValuesLeft--;
            return true;
        }

        /// <summary>True when <paramref name="value"/> is already being recorded further up: a reference cycle.</summary>
        public bool IsAncestor(object value)
        {
            for (var i = 0; i < _count; i++)
            {
                if (ReferenceEquals(_ancestors[i], value))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Enters a container or object (value types enter as null: they cannot form cycles).</summary>
        public void Enter(object? value)
        {
            if (_count == _ancestors.Length)
            {
                Array.Resize(ref _ancestors, _count * 2);
            }

            _ancestors[_count++] = value;
        }

        public void Leave() => _ancestors[--_count] = null;

        /// <summary>Leaves every container entered since the walk was at <paramref name="depth"/> (after a failure).</summary>
        public void LeaveTo(int depth)
        {
            while (_count > depth)
            {
                Leave();
            }
        }
    }
}
