using System;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading.Tasks;
using Fody;
using Mirascope.Ops.Fody;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>
    /// A generated assembly of more than 2,000 methods in every supported shape, woven assembly-wide: every method
    /// JIT-compiles, runs with its original result, and produces exactly one span per call.
    /// </summary>
    public class AssemblyWideScaleTests
    {
        private const int Groups = 160;
        private const int MethodsPerGroup = 13;
        private readonly ITestOutputHelper _output;

        public AssemblyWideScaleTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public async Task Two_thousand_methods_of_every_shape_woven_assembly_wide()
        {
            var path = SourceCompiler.Compile(Generate(), "Scale", optimize: true);

            var watch = Stopwatch.StartNew();
            var result = new ModuleWeaver().ExecuteTestRun(path, runPeVerify: false);
            watch.Stop();
            _output.WriteLine($"weaving {Groups * MethodsPerGroup} methods (plus load/write by the test helper) took {watch.ElapsedMilliseconds} ms");

            Assert.Empty(result.Errors);
            var report = result.Messages.Single(m => m.Text.StartsWith("Mirascope.Ops: wove", StringComparison.Ordinal)).Text;
            _output.WriteLine(report);
            Assert.StartsWith($"Mirascope.Ops: wove {Groups * MethodsPerGroup} method(s)", report);
            Assert.Empty(MethodJitter.CompileAll(result.Assembly, out var compiled));
            Assert.True(compiled > Groups * MethodsPerGroup);

            using var capture = new SpanCapture();
            var run = result.Assembly.GetType("Scale.Runner")!.GetMethod("RunAll")!;
            var calls = await (Task<int>)run.Invoke(null, null)!;

            Assert.Equal(Groups * MethodsPerGroup, calls);
            Assert.Equal(calls, capture.Spans.Count);
            Assert.All(capture.Spans, s => Assert.Equal(ActivityStatusCode.Unset, s.Status));
        }

        /// <summary>Every group has one method of each shape; Runner checks each result and counts the calls.</summary>
        private static string Generate()
        {
            var source = new StringBuilder(@"
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Mirascope.Ops;
[assembly: Trace]
namespace Scale
{
");
            var runner = new StringBuilder(@"
    [NoTrace]
    public static class Runner
    {
        private static void Check(bool ok, string what) { if (!ok) throw new InvalidOperationException(what); }
        public static async Task<int> RunAll()
        {
            var calls = 0;
");
            for (var i = 0; i < Groups; i++)
            {
                source.Append($@"
    public class C{i}
    {{
        public int Sync{i}(int x) => x + {i};
        public string Text{i}(string s) => s + ""{i}"";
        public void Void{i}() {{ }}
        public async Task<int> Async{i}(int x) {{ await Task.Yield(); return x * 2; }}
        public async ValueTask Value{i}() {{ await Task.Yield(); }}
        public IEnumerable<int> Iter{i}(int n) {{ for (var k = 0; k < n; k++) yield return k; }}
        public async IAsyncEnumerable<int> AsyncIter{i}(int n) {{ for (var k = 0; k < n; k++) {{ await Task.Yield(); yield return k; }} }}
        public T Generic{i}<T>(T value) => value;
        public int Refs{i}(ref int a, out int b, in int c) {{ b = a + c; a++; return b; }}
        public static int Static{i}(int x) => -x;
        public int Guarded{i}(int x) {{ try {{ if (x < 0) throw new ArgumentException(); return x; }} catch (ArgumentException) {{ return 0; }} }}
    }}
    public struct S{i} {{ public int V; public int Get{i}() => V + {i}; }}
    public class G{i}<T> {{ public T Echo{i}(T value) => value; }}
");
                runner.Append($@"
            {{
                var c = new C{i}();
                Check(c.Sync{i}(1) == 1 + {i}, ""Sync{i}""); calls++;
                Check(c.Text{i}(""t"") == ""t{i}"", ""Text{i}""); calls++;
                c.Void{i}(); calls++;
                Check(await c.Async{i}(3) == 6, ""Async{i}""); calls++;
                await c.Value{i}(); calls++;
                var sum = 0; foreach (var v in c.Iter{i}(3)) sum += v; Check(sum == 3, ""Iter{i}""); calls++;
                var asum = 0; await foreach (var v in c.AsyncIter{i}(2)) asum += v; Check(asum == 1, ""AsyncIter{i}""); calls++;
                Check(c.Generic{i}({i}) == {i}, ""Generic{i}""); calls++;
                int a = 1, b; Check(c.Refs{i}(ref a, out b, 2) == 3 && a == 2 && b == 3, ""Refs{i}""); calls++;
                Check(C{i}.Static{i}(4) == -4, ""Static{i}""); calls++;
                Check(c.Guarded{i}(-1) == 0, ""Guarded{i}""); calls++;
                Check(new S{i} {{ V = 1 }}.Get{i}() == 1 + {i}, ""Get{i}""); calls++;
                Check(new G{i}<string>().Echo{i}(""e"") == ""e"", ""Echo{i}""); calls++;
            }}
");
            }

            runner.Append(@"
            return calls;
        }
    }
");
            return source.Append(runner).Append("}\n").ToString();
        }
    }
}
