using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Mirascope.Ops.Tests.Infrastructure
{
    /// <summary>
    /// JIT-compiles every method body of an assembly (compiler-generated state machines included) so invalid IL
    /// surfaces as InvalidProgramException / BadImageFormatException without running the code. ILVerify is not
    /// available here; the negative control in the tests proves this check catches broken IL.
    /// </summary>
    public static class MethodJitter
    {
        private static readonly Type[] Instantiations = { typeof(int), typeof(string) };

        private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

        /// <summary>Returns one line per method that failed to compile; the count of compiled bodies in <paramref name="compiled"/>.</summary>
        public static List<string> CompileAll(Assembly assembly, out int compiled)
        {
            var failures = new List<string>();
            compiled = 0;
            foreach (var type in assembly.GetTypes())
            {
                foreach (var closedType in Close(type))
                {
                    foreach (var method in closedType.GetMethods(Declared).Cast<MethodBase>().Concat(closedType.GetConstructors(Declared)))
                    {
                        if (method.IsAbstract || method.GetMethodBody() is null)
                        {
                            continue;
                        }

                        foreach (var closedMethod in Close(method))
                        {
                            try
                            {
                                var handles = closedType.GetGenericArguments().Concat(closedMethod.IsGenericMethod ? closedMethod.GetGenericArguments() : Type.EmptyTypes)
                                    .Select(t => t.TypeHandle).ToArray();
                                RuntimeHelpers.PrepareMethod(closedMethod.MethodHandle, handles);
                                compiled++;
                            }
                            catch (Exception ex) when (ex is InvalidProgramException or BadImageFormatException or TypeLoadException or MissingMethodException or MissingFieldException or System.Security.VerificationException)
                            {
                                failures.Add($"{closedType.FullName}::{closedMethod}: {ex.GetType().Name}: {ex.Message}");
                            }
                        }
                    }
                }
            }

            return failures;
        }

        private static IEnumerable<Type> Close(Type type)
        {
            if (!type.IsGenericTypeDefinition)
            {
                yield return type;
                yield break;
            }

            foreach (var argument in Instantiations)
            {
                Type? closed = null;
                try
                {
                    closed = type.MakeGenericType(type.GetGenericArguments().Select(_ => argument).ToArray());
                }
                catch (ArgumentException)
                {
                    // The constraints reject this instantiation; the other one covers the type.
                }

                if (closed is not null)
                {
                    yield return closed;
                }
            }
        }

        private static IEnumerable<MethodBase> Close(MethodBase method)
        {
            if (method is not MethodInfo info || !info.IsGenericMethodDefinition)
            {
                yield return method;
                yield break;
            }

            foreach (var argument in Instantiations)
            {
                MethodInfo? closed = null;
                try
                {
                    closed = info.MakeGenericMethod(info.GetGenericArguments().Select(_ => argument).ToArray());
                }
                catch (ArgumentException)
                {
                }

                if (closed is not null)
                {
                    yield return closed;
                }
            }
        }
    }
}
