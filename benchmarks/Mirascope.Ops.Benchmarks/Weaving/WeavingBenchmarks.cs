using BenchmarkDotNet.Attributes;

namespace Mirascope.Ops.Benchmarks.Weaving
{
    /// <summary>
    /// 7. Weaving time: <see cref="Mirascope.Ops.Fody.ModuleWeaver.Execute"/> on generated assemblies of 1,000, 2,000
    /// and 4,000 traced methods of every shape. The module is read (immediately, symbols included) before each
    /// invocation and is not timed; writing it is not timed either. Goal: linear, at most 1 ms per method.
    /// </summary>
    public class WeavingBenchmarks
    {
        private GeneratedAssembly? _assembly;
        private WeaverHost? _host;

        [Params(1_000, 2_000, 4_000)]
        public int Methods { get; set; }

        [GlobalSetup]
        public void Setup() => _assembly = GeneratedAssembly.Compile(Methods);

        [IterationSetup]
        public void ReadModule()
        {
            _host?.Dispose();
            _host = new WeaverHost(_assembly!);
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _host?.Dispose();
            _assembly?.Delete();
        }

        [Benchmark]
        public void Execute() => _host!.Execute();
    }
}
