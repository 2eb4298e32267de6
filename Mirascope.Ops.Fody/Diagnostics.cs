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

            // A method without IL has no sequence point: find its declaration in the source of its type. The type's
            // own methods name the document; an interface of abstract members has none, so every document is a candidate.
            var documents = method.DeclaringType.Methods.Concat(method.DeclaringType.NestedTypes.SelectMany(t => t.Methods))
                .Select(FirstSequencePoint).Where(p => p is not null).Select(p => p!.Document)
                .Concat(method.Module.Types.SelectMany(t => t.Methods).Select(FirstSequencePoint).Where(p => p is not null).Select(p => p!.Document))
                .GroupBy(d => d.Url).Select(g => g.First());
            foreach (var document in documents)
            {
                var line = FindDeclarationLine(document.Url, MethodNames.StripArity(method.DeclaringType.Name), method.Name);
                if (line > 0)
                {
                    return new SequencePoint(Instruction.Create(OpCodes.Nop), document) { StartLine = line, EndLine = line, StartColumn = 1, EndColumn = 2 };
                }
            }

            return null;
        }

        private static SequencePoint? FirstSequencePoint(MethodDefinition method)
        {
            if (!method.HasBody || !method.DebugInformation.HasSequencePoints)
            {
                return null;
            }

            return method.DebugInformation.SequencePoints.FirstOrDefault(p => !p.IsHidden);
        }

        private static int FindDeclarationLine(string path, string typeName, string methodName)
        {
            try
            {
                if (!File.Exists(path))
                {
                    return 0;
                }

                var lines = File.ReadAllLines(path);
                var typeLine = Array.FindIndex(lines, l => DeclaresType(l, typeName));
                if (typeLine < 0)
                {
                    return 0;
                }

                for (var i = typeLine + 1; i < lines.Length; i++)
                {
                    var index = lines[i].IndexOf(methodName + "(", StringComparison.Ordinal);
                    if (index > 0 && !char.IsLetterOrDigit(lines[i][index - 1]) && IsDeclarationLine(lines[i]))
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

        private static bool DeclaresType(string line, string typeName)
        {
            foreach (var keyword in new[] { "class ", "interface ", "struct ", "record " })
            {
                var index = line.IndexOf(keyword + typeName, StringComparison.Ordinal);
                var end = index + keyword.Length + typeName.Length;
                if (index >= 0 && (end == line.Length || !char.IsLetterOrDigit(line[end])))
                {
                    return true;
                }
            }

            return false;
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
