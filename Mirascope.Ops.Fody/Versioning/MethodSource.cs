using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mirascope.Ops.Fody.Weavers;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Versioning
{
    /// <summary>
    /// Finds a method's declaration in its source file (through the PDB's sequence points) and returns its tokens:
    /// from the modifiers to the end of the body, attributes excluded. Debug and Release builds give the same text.
    /// </summary>
    internal sealed class MethodSource
    {
        private readonly Dictionary<string, List<string>?> _files = new Dictionary<string, List<string>?>(StringComparer.Ordinal);

        /// <summary>The declaration's tokens and where its body starts, or null when the source is not available.</summary>
        public (List<string> Tokens, int BodyStart)? Find(MethodDefinition method)
        {
            var point = FirstPoint(method);
            if (point is null)
            {
                return null;
            }

            var lines = Read(point.Document.Url);
            if (lines is null)
            {
                return null;
            }

            var declarationLine = FindDeclarationLine(lines, point.StartLine - 1, method);
            if (declarationLine < 0)
            {
                return null;
            }

            var text = string.Join("\n", lines.Skip(declarationLine));
            var tokens = CSharpTokens.Tokenize(text);
            var declaration = TakeDeclaration(tokens, out var bodyStart);
            return declaration is null ? null : (declaration, bodyStart);
        }

        /// <summary>
        /// The declaration as written — its original lines, from the line naming the method to the body's end, with
        /// their common indentation removed — for people reading or diffing a version (the hash uses the tokens); null
        /// when the source is not available or the lines cannot be matched to the tokens.
        /// </summary>
        public string? Text(MethodDefinition method)
        {
            var found = Find(method);
            var point = FirstPoint(method);
            var lines = point is null ? null : Read(point.Document.Url);
            if (found is null || lines is null)
            {
                return null;
            }

            var declarationLine = FindDeclarationLine(lines, point!.StartLine - 1, method);
            var expected = found.Value.Tokens;

            // The fewest lines whose tokens give the whole declaration: fewer lines cut the body short (fewer tokens).
            int low = 1, high = lines.Count - declarationLine;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (Declaration(lines, declarationLine, middle)?.Count >= expected.Count) high = middle;
                else low = middle + 1;
            }

            var taken = lines.Skip(declarationLine).Take(low).ToList();
            var check = Declaration(lines, declarationLine, low);
            if (check is null || !check.SequenceEqual(expected))
            {
                return null;
            }

            var indent = taken.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
            return string.Join("\n", taken.Select(l => l.Length >= indent && l.Substring(0, indent).Trim().Length == 0 ? l.Substring(indent).TrimEnd() : l.TrimEnd()));
        }

        private static List<string>? Declaration(List<string> lines, int from, int count) =>
            TakeDeclaration(CSharpTokens.Tokenize(string.Join("\n", lines.Skip(from).Take(count))), out _);

        /// <summary>
        /// The tokens of the statement that assigns a static field in its type's static constructor (<c>Prompt = "..."</c>
        /// of <c>static readonly string Prompt = "...";</c>), through the sequence point of its <c>stsfld</c>; null
        /// when the field is not assigned there or the source is not available.
        /// </summary>
        public List<string>? FieldInitializer(FieldDefinition field)
        {
            var text = FieldInitializerText(field);
            return text is null ? null : CSharpTokens.Tokenize(text);
        }

        /// <summary>
        /// The source of the statement that assigns <paramref name="field"/> in its type's static constructor (a
        /// field initializer: <c>Closing = "Answer in one line."</c>), as written; null without it.
        /// </summary>
        public string? FieldInitializerText(FieldDefinition field)
        {
            var constructor = field.DeclaringType.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic && m.HasBody);
            if (constructor is null || !constructor.DebugInformation.HasSequencePoints)
            {
                return null;
            }

            var store = constructor.Body.Instructions.FirstOrDefault(i => i.OpCode.Code == Code.Stsfld && i.Operand is FieldReference f && f.Resolve() == field);
            if (store is null)
            {
                return null;
            }

            // The statement's sequence point is the last visible one at or before the store.
            SequencePoint? point = null;
            foreach (var candidate in constructor.DebugInformation.SequencePoints)
            {
                if (candidate.IsHidden) continue;
                if (candidate.Offset > store.Offset) break;
                point = candidate;
            }

            var lines = point is null ? null : Read(point.Document.Url);
            if (point is null || lines is null || point.EndLine > lines.Count)
            {
                return null;
            }

            var text = new System.Text.StringBuilder();
            for (var line = point.StartLine; line <= point.EndLine; line++)
            {
                var content = lines[line - 1];
                var from = line == point.StartLine ? Math.Min(point.StartColumn - 1, content.Length) : 0;
                var to = line == point.EndLine ? Math.Min(point.EndColumn - 1, content.Length) : content.Length;
                text.Append(content, from, Math.Max(0, to - from)).Append('\n');
            }

            return text.ToString();
        }

        private static SequencePoint? FirstPoint(MethodDefinition method)
        {
            var candidates = new List<MethodDefinition> { method };
            if (StateMachineShape.Of(method).StateMachine is { } machineType)
            {
                candidates.AddRange(machineType.Methods.Where(m => m.Name.EndsWith("MoveNext", StringComparison.Ordinal)));
            }

            return candidates
                .Where(m => m.HasBody && m.DebugInformation.HasSequencePoints)
                .SelectMany(m => m.DebugInformation.SequencePoints)
                .Where(p => !p.IsHidden)
                .OrderBy(p => p.StartLine)
                .FirstOrDefault();
        }

        private List<string>? Read(string path)
        {
            if (!_files.TryGetValue(path, out var lines))
            {
                try
                {
                    lines = File.Exists(path) ? File.ReadAllLines(path).ToList() : null;
                }
                catch (IOException)
                {
                    lines = null;
                }
                catch (UnauthorizedAccessException)
                {
                    lines = null;
                }

                _files[path] = lines;
            }

            return lines;
        }

        /// <summary>Walks up from the body's first line to the line that names the method (a constructor names its type).</summary>
        private static int FindDeclarationLine(List<string> lines, int fromLine, MethodDefinition method)
        {
            var name = method.IsConstructor ? MethodNames.StripArity(method.DeclaringType.Name) : method.Name;
            for (var line = Math.Min(fromLine, lines.Count - 1); line >= 0 && line >= fromLine - 50; line--)
            {
                var tokens = CSharpTokens.Tokenize(lines[line]);
                for (var t = 0; t + 1 < tokens.Count; t++)
                {
                    if (tokens[t] == name && (tokens[t + 1] == "(" || tokens[t + 1] == "<"))
                    {
                        return line;
                    }
                }
            }

            return -1;
        }

        /// <summary>
        /// From the declaration line: drops leading attribute lists, keeps tokens through the body's closing brace
        /// (or the ';' ending an expression body).
        /// </summary>
        private static List<string>? TakeDeclaration(List<string> tokens, out int bodyStart)
        {
            bodyStart = -1;
            var start = 0;
            while (start < tokens.Count && tokens[start] == "[")
            {
                start = SkipBalanced(tokens, start, "[", "]");
            }

            var result = new List<string>();
            var parentheses = 0;
            for (var i = start; i < tokens.Count; i++)
            {
                var token = tokens[i];
                if (token == "(")
                {
                    parentheses++;
                }
                else if (token == ")")
                {
                    parentheses--;
                }

                if (parentheses == 0 && token == "{")
                {
                    bodyStart = result.Count;
                    var end = SkipBalanced(tokens, i, "{", "}");
                    result.AddRange(tokens.Skip(i).Take(end - i));
                    return result;
                }

                if (parentheses == 0 && token == "=" && i + 1 < tokens.Count && tokens[i + 1] == ">")
                {
                    bodyStart = result.Count;
                    var end = tokens.FindIndex(i, t => t == ";");
                    if (end < 0)
                    {
                        return null;
                    }

                    result.AddRange(tokens.Skip(i).Take(end - i + 1));
                    return result;
                }

                result.Add(token);
            }

            return null;
        }

        private static int SkipBalanced(List<string> tokens, int start, string open, string close)
        {
            var depth = 0;
            for (var i = start; i < tokens.Count; i++)
            {
                if (tokens[i] == open)
                {
                    depth++;
                }
                else if (tokens[i] == close && --depth == 0)
                {
                    return i + 1;
                }
            }

            return tokens.Count;
        }
    }
}
