using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Emit
{
    /// <summary>
    /// Keeps woven methods debuggable: the original sequence points stay on their instructions (Cecil binds them to
    /// instruction objects, not offsets) and everything the weaver adds sits behind hidden sequence points, so
    /// stepping lands on the user's first line and breakpoints keep binding.
    /// </summary>
    internal static class DebugInfo
    {
        public const int HiddenLine = 0xfeefee;

        /// <summary>Marks the code from <paramref name="first"/> as hidden, up to the next sequence point.</summary>
        public static void Hide(MethodDefinition method, Instruction first)
        {
            var points = method.DebugInformation.SequencePoints;
            var document = points.Count > 0 ? points[0].Document : null;
            if (document is null)
            {
                return;
            }

            points.Add(new SequencePoint(first, document) { StartLine = HiddenLine, EndLine = HiddenLine });
        }

        /// <summary>
        /// Portable PDBs need sequence points in IL order; <see cref="Hide"/> appends them out of order. Uses the
        /// instructions' offsets as they are (<see cref="BodyOptimizer"/> leaves them final), and is a stable insertion
        /// sort: the points are in order but for the few hidden ones appended.
        /// </summary>
        public static void Sort(MethodDefinition method)
        {
            var points = method.DebugInformation.SequencePoints;
            for (var i = 1; i < points.Count; i++)
            {
                var point = points[i];
                var offset = point.Offset;
                var j = i - 1;
                while (j >= 0 && points[j].Offset > offset)
                {
                    points[j + 1] = points[j];
                    j--;
                }

                points[j + 1] = point;
            }
        }
    }
}
