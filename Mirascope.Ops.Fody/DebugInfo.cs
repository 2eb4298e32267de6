using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody
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
            var document = points.FirstOrDefault()?.Document;
            if (document is null)
            {
                return;
            }

            points.Add(new SequencePoint(first, document) { StartLine = HiddenLine, EndLine = HiddenLine });
        }

        /// <summary>Portable PDBs need sequence points in IL order; insertions append them out of order.</summary>
        public static void Sort(MethodDefinition method)
        {
            if (!method.DebugInformation.HasSequencePoints)
            {
                return;
            }

            UpdateOffsets(method.Body);
            var sorted = method.DebugInformation.SequencePoints.OrderBy(p => p.Offset).ToList();
            method.DebugInformation.SequencePoints.Clear();
            foreach (var point in sorted)
            {
                method.DebugInformation.SequencePoints.Add(point);
            }
        }

        private static void UpdateOffsets(MethodBody body)
        {
            var offset = 0;
            foreach (var instruction in body.Instructions)
            {
                instruction.Offset = offset;
                offset += instruction.GetSize();
            }
        }
    }
}
