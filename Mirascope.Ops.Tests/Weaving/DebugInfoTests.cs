using System.Collections.Generic;
using System.Linq;
using Mirascope.Ops.Tests.Infrastructure;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>After weaving, stepping and breakpoints still work: original sequence points are intact, ours hidden.</summary>
    public class DebugInfoTests
    {
        public static IEnumerable<object[]> Configurations => WovenAssembly.Configurations;

        private static ModuleDefinition Read(string path) =>
            ModuleDefinition.ReadModule(path, new ReaderParameters { ReadSymbols = true });

        private static IEnumerable<(string Method, int Line, int Column, string Document)> VisiblePoints(ModuleDefinition module) =>
            module.GetTypes().SelectMany(t => t.Methods)
                .Where(m => m.DebugInformation.HasSequencePoints)
                .SelectMany(m => m.DebugInformation.SequencePoints.Where(p => !p.IsHidden)
                    .Select(p => (m.FullName, p.StartLine, p.StartColumn, p.Document.Url)));

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Every_original_sequence_point_maps_to_the_same_document_and_line(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var original = Read(woven.OriginalPath);
            using var rewritten = Read(woven.Result.AssemblyPath);

            var before = VisiblePoints(original).OrderBy(p => p).ToList();
            var after = VisiblePoints(rewritten).OrderBy(p => p).ToList();

            Assert.NotEmpty(before);
            Assert.Equal(before, after);
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void Woven_prologue_is_hidden_so_stepping_in_lands_on_the_first_line(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var rewritten = Read(woven.Result.AssemblyPath);
            var calc = rewritten.GetType("AssemblyToProcess.Calc");
            var multiply = calc.Methods.Single(m => m.Name == "Multiply");
            // A runtime-async FetchAsync has no state machine: its own body is woven.
            var fetch = woven.IsRuntimeAsync
                ? calc.Methods.Single(m => m.Name == "FetchAsync")
                : calc.NestedTypes.Single(t => t.Name.Contains("FetchAsync")).Methods.Single(m => m.Name == "MoveNext");

            foreach (var method in new[] { multiply, fetch })
            {
                var first = method.DebugInformation.SequencePoints.OrderBy(p => p.Offset).First();
                Assert.Equal(0, first.Offset);
                Assert.True(first.IsHidden, $"{method.Name}: the woven prologue at offset 0 must be hidden");
                Assert.Contains(method.DebugInformation.SequencePoints, p => !p.IsHidden);
            }
        }

        [Theory]
        [MemberData(nameof(Configurations))]
        public void State_machines_keep_their_kickoff_method_link(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            using var rewritten = Read(woven.Result.AssemblyPath);

            var moveNexts = rewritten.GetTypes().Where(t => t.Name.Contains(">d__")).Select(t => t.Methods.Single(m => m.Name == "MoveNext")).ToList();

            Assert.NotEmpty(moveNexts);
            Assert.All(moveNexts, m => Assert.NotNull(m.DebugInformation.StateMachineKickOffMethod));
        }
    }
}
