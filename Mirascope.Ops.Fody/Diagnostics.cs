using System;
using System.IO;
using System.Linq;
using Fody;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody
{
    /// <summary>
    /// Reports build errors located at the offending method's source line. For methods without IL (abstract,
    /// extern) the line is found in the source document of a sibling method.
    /// </summary>
    internal sealed class Diagnostics
    {
        private readonly BaseModuleWeaver _weaver;

        public Diagnostics(BaseModuleWeaver weaver)
        {
            _weaver = weaver;
        }

        public int ErrorCount { get; private set; }

        public void Error(string code, MethodDefinition method, string message)
        {
            ErrorCount++;
            _weaver.WriteError($"{code}: {message}", Locate(method));
        }

        public static SequencePoint? Locate(MethodDefinition method)
        {
            var own = FirstSequencePoint(method);
            if (own is not null)
            {
                return own;
            }

            var sibling = method.DeclaringType.Methods.Select(FirstSequencePoint).FirstOrDefault(p => p is not null)
                ?? method.DeclaringType.NestedTypes.SelectMany(t => t.Methods).Select(FirstSequencePoint).FirstOrDefault(p => p is not null);
            if (sibling is null)
            {
                return null;
            }

            var line = FindDeclarationLine(sibling.Document.Url, method.Name);
            if (line <= 0)
            {
                return sibling;
            }

            return new SequencePoint(Instruction.Create(OpCodes.Nop), sibling.Document) { StartLine = line, EndLine = line, StartColumn = 1, EndColumn = 2 };
        }

        private static SequencePoint? FirstSequencePoint(MethodDefinition method)
        {
            if (!method.HasBody || !method.DebugInformation.HasSequencePoints)
            {
                return null;
            }

            return method.DebugInformation.SequencePoints.FirstOrDefault(p => !p.IsHidden);
        }

        private static int FindDeclarationLine(string path, string methodName)
        {
            try
            {
                if (!File.Exists(path))
                {
                    return 0;
                }

                var lines = File.ReadAllLines(path);
                for (var i = 0; i < lines.Length; i++)
                {
                    var index = lines[i].IndexOf(methodName + "(", StringComparison.Ordinal);
                    if (index > 0 && char.IsWhiteSpace(lines[i][index - 1]) && IsDeclarationLine(lines[i]))
                    {
                        return i + 1;
                    }
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            return 0;
        }

        private static bool IsDeclarationLine(string line)
        {
            var trimmed = line.TrimStart();
            return trimmed.StartsWith("[", StringComparison.Ordinal) || trimmed.Contains("abstract ") || trimmed.Contains("extern ")
                || trimmed.StartsWith("public ", StringComparison.Ordinal) || trimmed.StartsWith("internal ", StringComparison.Ordinal)
                || trimmed.StartsWith("protected ", StringComparison.Ordinal) || trimmed.StartsWith("private ", StringComparison.Ordinal)
                || trimmed.EndsWith(";", StringComparison.Ordinal);
        }
    }
}
