using System;
using System.IO;
using System.Linq;
using Fody;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Diagnostics
{
    /// <summary>
    /// Reports build errors located at the offending method's source line. For methods without IL (abstract,
    /// extern) the line is found in the source document of a sibling method.
    /// </summary>
    internal sealed class BuildErrors
    {
        private readonly BaseModuleWeaver _weaver;

        public BuildErrors(BaseModuleWeaver weaver)
        {
            _weaver = weaver;
        }

        public void Error(string code, MethodDefinition method, string message) => _weaver.WriteError($"{code}: {message}", Locate(method));

        /// <summary>An error about a type's own attribute, at the line that declares the type.</summary>
        public void Error(string code, TypeDefinition type, string message) => _weaver.WriteError($"{code}: {message}", Locate(type));

        public static SequencePoint? Locate(MethodDefinition method)
        {
            var own = FirstSequencePoint(method);
            if (own is not null)
            {
                return own;
            }

            // A method without IL has no sequence point: find its declaration in the source of its type.
            return FindInSource(method.DeclaringType, lines => FindDeclarationLine(lines, MethodNames.StripArity(method.DeclaringType.Name), method.Name));
        }

        public static SequencePoint? Locate(TypeDefinition type) =>
            FindInSource(type, lines => FindTypeLine(lines, MethodNames.StripArity(type.Name)) + 1);

        /// <summary>
        /// The first line <paramref name="findLine"/> finds (1-based, 0 for none) in the lines of the documents that may declare
        /// <paramref name="type"/>: its own methods name them; an interface of abstract members has none, so every
        /// document of the module is a candidate.
        /// </summary>
        private static SequencePoint? FindInSource(TypeDefinition type, Func<string[], int> findLine)
        {
            var documents = type.Methods.Concat(type.NestedTypes.SelectMany(t => t.Methods))
                .Select(FirstSequencePoint).Where(p => p is not null).Select(p => p!.Document)
                .Concat(type.Module.Types.SelectMany(t => t.Methods).Select(FirstSequencePoint).Where(p => p is not null).Select(p => p!.Document))
                .GroupBy(d => d.Url).Select(g => g.First());
            foreach (var document in documents)
            {
                var lines = ReadLines(document.Url);
                var line = lines is null ? 0 : findLine(lines);
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

        /// <summary>The 0-based index of the line that declares <paramref name="typeName"/>, or -1.</summary>
        private static int FindTypeLine(string[] lines, string typeName) => Array.FindIndex(lines, l => DeclaresType(l, typeName));

        private static int FindDeclarationLine(string[] lines, string typeName, string methodName)
        {
            var typeLine = FindTypeLine(lines, typeName);
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

            return 0;
        }

        private static string[]? ReadLines(string path)
        {
            try
            {
                return File.Exists(path) ? File.ReadAllLines(path) : null;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            return null;
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
