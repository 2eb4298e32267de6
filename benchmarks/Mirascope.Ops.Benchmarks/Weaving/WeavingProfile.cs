using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using Fody;
using Mirascope.Ops.Fody;
using Mono.Cecil;

namespace Mirascope.Ops.Benchmarks.Weaving
{
    /// <summary>
    /// <c>-- --profile-weaving [sizes]</c>: where the weaver spends its time and memory, per step of
    /// <see cref="ModuleWeaver.Execute"/>, on the generated assemblies of the weaving benchmark. Each size runs in a
    /// fresh child process so its peak working set is its own. The steps are the ones Execute calls, invoked through
    /// reflection in the same order (the weaver's step classes are internal); the real Execute is timed on a fresh
    /// module as well, to show the two agree. A diagnostic, not a benchmark: single runs, stopwatch resolution. Memory
    /// is per step too (bytes allocated on the weaving thread, per target or per woven method); with
    /// <c>MIRASCOPE_PROFILE_ALLOCATIONS=1</c> the child also prints which types those bytes went to.
    /// </summary>
    internal static class WeavingProfile
    {
        public const string Command = "--profile-weaving";
        public const string ChildCommand = "--profile-weaving-child";
        private const string ResultPrefix = "PROFILE ";

        public static int Run(string[] args)
        {
            var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : new[] { 1_000, 2_000, 4_000 };
            var rows = new List<Dictionary<string, double>>();
            foreach (var size in sizes)
            {
                var compile = Stopwatch.StartNew();
                var assembly = GeneratedAssembly.Compile(size);
                compile.Stop();
                try
                {
                    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
                    start.ArgumentList.Add(ChildCommand);
                    start.ArgumentList.Add(assembly.DllPath);
                    start.ArgumentList.Add(size.ToString(CultureInfo.InvariantCulture));
                    using var child = Process.Start(start)!;
                    var output = child.StandardOutput.ReadToEnd();
                    child.WaitForExit();
                    var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
                    if (child.ExitCode != 0 || line is null)
                    {
                        Console.Error.WriteLine(output);
                        return 1;
                    }

                    var row = JsonSerializer.Deserialize<Dictionary<string, double>>(line.Substring(ResultPrefix.Length))!;
                    row["compile (Roslyn, not weaving) ms"] = compile.Elapsed.TotalMilliseconds;
                    rows.Add(row);
                }
                finally
                {
                    assembly.Delete();
                }
            }

            Print(sizes, rows);
            return 0;
        }

        /// <summary>
        /// One size: <c>--profile-weaving-child DLL N</c> (compiled by the parent), or <c>--profile-weaving-child N</c>
        /// compiling it here (to run the child alone under a profiler such as dotnet-trace).
        /// </summary>
        public static int RunChild(string[] args)
        {
            var assembly = args.Length == 1
                ? GeneratedAssembly.Compile(int.Parse(args[0], CultureInfo.InvariantCulture))
                : GeneratedAssembly.Open(args[0], int.Parse(args[1], CultureInfo.InvariantCulture));
            var row = new Dictionary<string, double>();

            // Warm the weaver's and Cecil's code once on a small module so the figures are not JIT time.
            var warm = Stopwatch.StartNew();
            using (var host = new WeaverHost(assembly))
            {
                host.Execute();
            }

            row["first Execute incl. JIT ms"] = warm.Elapsed.TotalMilliseconds;

            var read = Stopwatch.StartNew();
            using (var deferred = new WeaverHost(assembly, ReadingMode.Deferred))
            {
                row["read, deferred (as Fody) ms"] = read.Elapsed.TotalMilliseconds;
            }

            read.Restart();
            using (var host = new WeaverHost(assembly))
            {
                row["read, immediate ms"] = read.Elapsed.TotalMilliseconds;
                var execute = Stopwatch.StartNew();
                host.Execute();
                row["Execute ms"] = execute.Elapsed.TotalMilliseconds;
                var write = Stopwatch.StartNew();
                using var pdb = new MemoryStream();
                host.Module.Write(new MemoryStream(), new WriterParameters { WriteSymbols = true, SymbolStream = pdb, SymbolWriterProvider = new Mono.Cecil.Cil.PortablePdbWriterProvider() });
                row["write with symbols ms"] = write.Elapsed.TotalMilliseconds;
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using (var host = new WeaverHost(assembly))
            {
                GC.Collect();
                var process = Process.GetCurrentProcess();
                process.Refresh();
                var before = process.WorkingSet64;
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                using (AllocationTypes.StartIfAsked())
                {
                    foreach (var (step, value) in Steps(host))
                    {
                        row[step.StartsWith("(", StringComparison.Ordinal) ? step : "step: " + step + " ms"] = value;
                    }
                }

                row["allocated by Execute MB"] = (GC.GetAllocatedBytesForCurrentThread() - allocated) / 1048576.0;
                process.Refresh();
                row["peak working set over the read module MB"] = Math.Max(0, process.PeakWorkingSet64 - before) / 1048576.0;
                row["peak working set of the process MB"] = process.PeakWorkingSet64 / 1048576.0;
            }

            Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(row));
            return 0;
        }

        /// <summary>ModuleWeaver.Execute, step by step (keep in the order of Mirascope.Ops.Fody/ModuleWeaver.cs).</summary>
        private static IEnumerable<(string Step, double Ms)> Steps(WeaverHost host)
        {
            var weaverAssembly = typeof(ModuleWeaver).Assembly;
            Type T(string name) => weaverAssembly.GetType("Mirascope.Ops.Fody." + name, throwOnError: true)!;
            const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;
            var module = host.Module;
            var watch = Stopwatch.StartNew();
            double Lap()
            {
                var ms = watch.Elapsed.TotalMilliseconds;
                watch.Restart();
                return ms;
            }

            long Allocated() => GC.GetAllocatedBytesForCurrentThread();

            var options = T("Targets.WeaverOptions").GetMethod("Read", Any)!.Invoke(null, new object[] { host.Weaver.Config })!;
            yield return ("WeaverOptions.Read", Lap());

            var findType = Delegate.CreateDelegate(typeof(Func<string, TypeDefinition>), host.Weaver, typeof(BaseModuleWeaver).GetMethod("FindTypeDefinition", new[] { typeof(string) })!);
            var runtime = T("Emit.RuntimeReferences").GetMethod("TryImport", Any)!.Invoke(null, new object[] { module, findType, false })!;
            yield return ("RuntimeReferences.TryImport", Lap());

            var findAllocated = Allocated();
            var diagnostics = Activator.CreateInstance(T("Diagnostics.BuildErrors"), Any, null, new object[] { host.Weaver }, null)!;
            var report = Activator.CreateInstance(T("Diagnostics.WeavingReport"), true)!;
            var targets = (IList)T("Targets.TraceTargets").GetMethod("Find", Any)!.Invoke(null, new[] { module, options, diagnostics, report })!;
            yield return ("TraceTargets.Find", Lap());
            yield return ("(count) targets found", targets.Count);
            yield return ("(KB per target) TraceTargets.Find", (Allocated() - findAllocated) / 1024.0 / Math.Max(1, targets.Count));

            weaverAssembly.GetType("Mirascope.Ops.Fody.Versioning.VersionStamp", throwOnError: true)!.GetMethod("Apply", Any)!
                .Invoke(null, new object?[] { targets, module, host.DocumentationPath, new string[0], (Action<string>)(_ => { }) });
            yield return ("VersionStamp.Apply", Lap());

            var descriptors = Activator.CreateInstance(T("Emit.DescriptorTable"), Any, null, new[] { module, runtime }, null)!;
            var add = descriptors.GetType().GetMethod("Add", Any)!;
            var weavers = Activator.CreateInstance(T("Weavers.MethodWeavers"), Any, null, new[] { diagnostics }, null)!;
            var forTarget = weavers.GetType().GetMethod("For", Any)!;
            var wove = report.GetType().GetMethod("Wove", Any)!;
            var perWeaver = new Dictionary<string, (int Count, double Ms, long Bytes)>();
            var addMs = 0.0;
            var chooseMs = 0.0;
            long chooseBytes = 0;
            watch.Restart();
            foreach (var target in targets)
            {
                var chooseStart = watch.Elapsed.TotalMilliseconds;
                var chooseAllocated = Allocated();
                var weaver = forTarget.Invoke(weavers, new[] { target });
                chooseMs += watch.Elapsed.TotalMilliseconds - chooseStart;
                chooseBytes += Allocated() - chooseAllocated;
                if (weaver is null)
                {
                    continue;
                }

                var addStart = watch.Elapsed.TotalMilliseconds;
                var field = add.Invoke(descriptors, new[] { target });
                addMs += watch.Elapsed.TotalMilliseconds - addStart;
                var weave = weaver.GetType().GetMethod("Weave", Any)!;
                var arguments = new[] { target, field, runtime };
                var weaveStart = watch.Elapsed.TotalMilliseconds;
                var weaveAllocated = Allocated();
                weave.Invoke(weaver, arguments);
                var weaveBytes = Allocated() - weaveAllocated;
                var name = weaver.GetType().Name;
                perWeaver.TryGetValue(name, out var sofar);
                perWeaver[name] = (sofar.Count + 1, sofar.Ms + watch.Elapsed.TotalMilliseconds - weaveStart, sofar.Bytes + weaveBytes);
                wove.Invoke(report, null);
            }

            watch.Restart();
            yield return ("MethodWeavers.For", chooseMs);
            yield return ("(KB per target) MethodWeavers.For", chooseBytes / 1024.0 / Math.Max(1, targets.Count));
            yield return ("DescriptorTable.Add", addMs);
            foreach (var (name, (count, ms, bytes)) in perWeaver.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                yield return ($"{name}.Weave", ms);
                yield return ($"(count) methods woven by {name}", count);
                yield return ($"(KB per method) {name}.Weave", bytes / 1024.0 / count);
            }

            var emitAllocated = Allocated();
            descriptors.GetType().GetMethod("EmitInitializers", Any)!.Invoke(descriptors, null);
            yield return ("DescriptorTable.EmitInitializers", Lap());
            yield return ("(KB per target) DescriptorTable.EmitInitializers", (Allocated() - emitAllocated) / 1024.0 / Math.Max(1, targets.Count));
        }

        private static void Print(int[] sizes, List<Dictionary<string, double>> rows)
        {
            var keys = rows.SelectMany(r => r.Keys).Distinct().ToList();
            Console.WriteLine();
            Console.WriteLine("| measure | " + string.Join(" | ", sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture) + " methods")) + " |");
            Console.WriteLine("|---|" + string.Concat(sizes.Select(_ => "---:|")));
            foreach (var key in keys)
            {
                Console.WriteLine("| " + key + " | " + string.Join(" | ", rows.Select(r => r.TryGetValue(key, out var v) ? v.ToString("N1", CultureInfo.InvariantCulture) : "")) + " |");
            }

            var perMethod = rows.Zip(sizes, (r, s) => r["Execute ms"] / s);
            Console.WriteLine("| Execute ms per method | " + string.Join(" | ", perMethod.Select(v => v.ToString("N3", CultureInfo.InvariantCulture))) + " |");
        }
    }
}
