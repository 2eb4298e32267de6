using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Mirascope.Ops.Fody.Weavers;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Mirascope.Ops.Fody.Versioning
{
    /// <summary>
    /// Computes <c>mirascope.version.hash</c> (the method's normalized code followed by that of every same-assembly
    /// method it calls, transitively, in a stable order, and the values of the const and static readonly fields that
    /// code reads: <see cref="ReadValues"/>) and <c>mirascope.version.signature_hash</c> (the declaration up
    /// to its body). Code is taken from the source so Debug and Release agree; calls are found in the IL, including
    /// those made from the method's lambdas, local functions and state machines.
    /// </summary>
    internal sealed class VersionHasher
    {
        private readonly MethodSource _source = new MethodSource();

        /// <summary>The hashes and, for people, the text they cover (<c>Code</c>: original lines) and the signature; null without source.</summary>
        public (string Hash, string SignatureHash, string Code, string Signature)? Compute(MethodDefinition method)
        {
            var own = _source.Find(method);
            if (own is null)
            {
                return null;
            }

            var code = new StringBuilder(CSharpTokens.Normalize(own.Value.Tokens));
            var readable = new StringBuilder(_source.Text(method) ?? CSharpTokens.Normalize(own.Value.Tokens));
            var sources = new List<(MethodDefinition, IReadOnlyList<string>)> { (method, own.Value.Tokens) };
            var callees = Callees(method, out var reached);
            foreach (var callee in callees.OrderBy(m => m.FullName, StringComparer.Ordinal))
            {
                var text = _source.Find(callee);
                code.Append("\n\n").Append(text is null ? callee.FullName : CSharpTokens.Normalize(text.Value.Tokens));
                readable.Append("\n\n").Append(text is null ? "// " + callee.FullName + " (no source)" : _source.Text(callee) ?? CSharpTokens.Normalize(text.Value.Tokens));
                if (text is not null)
                {
                    sources.Add((callee, text.Value.Tokens));
                }
            }

            var values = ReadValues.Describe(method.Module, sources, reached.SelectMany(BodiesOf), _source);
            code.Append(values.Hashed);
            readable.Append(values.Readable);

            var declaration = own.Value.Tokens.Take(own.Value.BodyStart).ToList();
            var signature = CSharpTokens.Normalize(declaration);
            return (Sha256(code.ToString()), Sha256(signature), readable.ToString(), SignatureText.Format(declaration));
        }

        /// <summary>
        /// The user-written methods of this module reachable from <paramref name="root"/>, itself excluded;
        /// <paramref name="visited"/> also holds the root and the lambdas and local functions on the way.
        /// </summary>
        private static HashSet<MethodDefinition> Callees(MethodDefinition root, out HashSet<MethodDefinition> visited)
        {
            var found = new HashSet<MethodDefinition>();
            visited = new HashSet<MethodDefinition>();
            var pending = new Stack<MethodDefinition>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                var method = pending.Pop();
                if (!visited.Add(method))
                {
                    continue;
                }

                foreach (var body in BodiesOf(method))
                {
                    foreach (var instruction in body.Instructions)
                    {
                        if (instruction.Operand is not MethodReference reference || reference.Module != root.Module)
                        {
                            continue;
                        }

                        var target = Resolve(reference);
                        if (target is null || target.Module != root.Module || target == root)
                        {
                            continue;
                        }

                        if (IsCompilerGenerated(target))
                        {
                            // A lambda or local function: its text is inside its parent, but its calls count.
                            pending.Push(target);
                        }
                        else if (found.Add(target))
                        {
                            pending.Push(target);
                        }
                    }
                }
            }

            return found;
        }

        /// <summary>The method's body and, for async methods and iterators, the bodies of its state machine.</summary>
        private static IEnumerable<MethodBody> BodiesOf(MethodDefinition method)
        {
            if (method.HasBody)
            {
                yield return method.Body;
            }

            var machineType = StateMachineShape.Of(method).StateMachine;
            if (machineType is null)
            {
                yield break;
            }

            foreach (var member in machineType.Methods.Where(m => m.HasBody))
            {
                yield return member.Body;
            }
        }

        private static MethodDefinition? Resolve(MethodReference reference)
        {
            try
            {
                return reference.Resolve();
            }
            catch (AssemblyResolutionException)
            {
                return null;
            }
        }

        private static bool IsCompilerGenerated(MethodDefinition method) =>
            method.Name.StartsWith("<", StringComparison.Ordinal) || method.DeclaringType.Name.StartsWith("<", StringComparison.Ordinal);

        private static string Sha256(string text)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            return string.Concat(hash.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
