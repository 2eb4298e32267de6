using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Xml.Linq;
using XDocument = System.Xml.Linq.XDocument;
using Fody;
using Mirascope.Ops.Fody;
using Mirascope.Ops.Fody.Targets;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>[assembly: Trace] and TraceAssembly="true": every rule of what is and is not woven, and the report.</summary>
    public class AssemblyWideTests
    {
        private const string Rules = @"
using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Mirascope.Ops;

[assembly: Trace(Tags = [""all""], ExcludeNamespaces = [""App.Excluded.*""])]

namespace App.Services
{
    public class Orders
    {
        public Orders() { }
        public int Count { get; set; }
        public event EventHandler? Changed { add { } remove { } }
        public int Place(int quantity) => quantity;
        public async Task<int> PlaceAsync(int quantity) { await Task.Yield(); return quantity; }
        public IEnumerable<int> Lines(int n) { for (var i = 0; i < n; i++) yield return i; }
        [Trace(Name = ""custom-cancel"", Tags = [""orders""])]
        public void Cancel() { }
        [NoTrace] public int Secret() => 1;
        internal int Internal() => 2;
        private int Private() => 3;
        public int CallsPrivate() => Private();
        public override string ToString() => ""Orders"";
        public override int GetHashCode() => 1;
        public override bool Equals(object? other) => false;
        public static Orders operator +(Orders a, Orders b) => a;
        public Func<int, int> Doubler() => x => x * 2;
    }

    public abstract class Base { public abstract int Abstract(); }

    internal class Hidden { public int Visible() => 1; }

    [NoTrace]
    public class OptedOut { public int Work() => 1; }

    public record Item(string Name);

    public static class Startup
    {
        public static int Initialized;
        [ModuleInitializer] public static void Init() { Initialized++; }
    }
}

namespace App.Excluded.Deep
{
    public class Skipped { public int Work() => 1; }
}
";

        [Fact]
        public async System.Threading.Tasks.Task Assembly_attribute_traces_public_methods_with_the_documented_exclusions()
        {
            var path = SourceCompiler.Compile(Rules, "AssemblyWide");
            var result = new ModuleWeaver().ExecuteTestRun(path, runPeVerify: false);
            Assert.Empty(result.Errors);
            var orders = result.GetInstance("App.Services.Orders");
            using var capture = new SpanCapture();

            Call(orders, "Place", 2);
            await (System.Threading.Tasks.Task<int>)Call(orders, "PlaceAsync", 3)!;
            ((IEnumerable<int>)Call(orders, "Lines", 2)!).ToList();
            Call(orders, "Cancel");
            Call(orders, "Secret");
            Call(orders, "Internal");
            Call(orders, "CallsPrivate");
            _ = orders.ToString();
            _ = orders.GetHashCode();
            orders.GetType().GetProperty("Count")!.SetValue(orders, 5);
            ((Func<int, int>)Call(orders, "Doubler")!)(4);
            Call(result.GetInstance("App.Excluded.Deep.Skipped"), "Work");
            Call(result.GetInstance("App.Services.OptedOut"), "Work");
            Call(Activator.CreateInstance(result.Assembly.GetType("App.Services.Hidden")!, nonPublic: true)!, "Visible");

            Assert.Equal(
                new[] { "Orders.Place", "Orders.PlaceAsync", "Orders.Lines", "custom-cancel", "Orders.CallsPrivate", "Orders.Doubler" },
                capture.Spans.Select(s => s.DisplayName));
            Assert.All(capture.Spans.Where(s => s.DisplayName != "custom-cancel"), s => Assert.Equal(new[] { "all" }, (string[])s.GetTagItem("mirascope.trace.tags")!));
            Assert.Equal(new[] { "all", "orders" }, (string[])capture.Single("custom-cancel").GetTagItem("mirascope.trace.tags")!);

            var report = Assert.Single(result.Messages, m => m.Text.StartsWith("Mirascope.Ops: wove", StringComparison.Ordinal)).Text;
            // Exactly the six spans above: a record's members (Equals, Deconstruct, PrintMembers...) are compiler-generated.
            Assert.Contains("wove 6 method(s)", report);
            foreach (var reason in new[] { "compiler-generated", "[NoTrace]", "abstract or extern", "constructor", "property or event accessor", "operator", "object override", "module initializer", "below the visibility threshold", "namespace filter" })
            {
                Assert.Contains(reason, report);
            }
        }

        [Fact]
        public void FodyWeavers_options_turn_it_on_and_the_attribute_wins_where_both_speak()
        {
            const string source = @"
using Mirascope.Ops;
[assembly: Trace(Visibility = TraceVisibility.Internal)]
namespace Lib.Core { public class A { public int Pub() => 1; internal int Int() => 2; } }
namespace Lib.Other { public class B { public int Pub() => 3; } }
";
            var path = SourceCompiler.Compile(source, "ConfiguredAssemblyWide");
            var weaver = new ModuleWeaver { Config = XElement.Parse("<Mirascope.Ops TraceAssembly=\"true\" IncludeNamespaces=\"Lib.Core\" Visibility=\"Public\" />") };

            var result = weaver.ExecuteTestRun(path, runPeVerify: false);
            using var capture = new SpanCapture();
            var a = result.GetInstance("Lib.Core.A");
            Call(a, "Pub");
            Call(a, "Int");
            Call(result.GetInstance("Lib.Other.B"), "Pub");

            // IncludeNamespaces comes from FodyWeavers.xml; Visibility=Internal from the attribute overrides Public.
            Assert.Equal(new[] { "A.Pub", "A.Int" }, capture.Spans.Select(s => s.DisplayName));
        }

        [Fact]
        public void Config_alone_without_the_attribute_traces_the_assembly()
        {
            const string source = "namespace Plain { public class C { public int M(int x) => x; } }";
            var path = SourceCompiler.Compile(source, "ConfigOnly");
            var weaver = new ModuleWeaver { Config = XElement.Parse("<Mirascope.Ops TraceAssembly=\"true\" />") };

            var result = weaver.ExecuteTestRun(path, runPeVerify: false);

            Assert.Contains(result.Messages, m => m.Text.StartsWith("Mirascope.Ops: wove 1 method(s)", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("<Mirascope.Ops Visibility=\"Protected\" />", "Visibility=\"Protected\"")]
        [InlineData("<Mirascope.Ops TraceAssembly=\"yes\" />", "TraceAssembly=\"yes\"")]
        [InlineData("<Mirascope.Ops IncludeNamespaces=\"My App\" />", "\"My App\"")]
        public void Bad_option_values_are_MOPS009(string config, string named)
        {
            var path = SourceCompiler.Compile("public class Empty { }", "BadOption");
            var weaver = new ModuleWeaver { Config = XElement.Parse(config) };

            var error = Assert.Throws<WeavingException>(() => weaver.ExecuteTestRun(path, runPeVerify: false));

            Assert.StartsWith("MOPS009:", error.Message);
            Assert.Contains(named, error.Message);
        }

        [Fact]
        public void The_schema_fragment_documents_exactly_the_options_the_weaver_accepts()
        {
            var xcf = XDocument.Load(System.IO.Path.Combine(RepositoryPaths.Root, "Mirascope.Ops.Fody", "Mirascope.Ops.Fody.xcf"));
            XNamespace xs = "http://www.w3.org/2001/XMLSchema";

            var documented = xcf.Root!.Elements(xs + "attribute").ToDictionary(a => (string)a.Attribute("name")!);

            Assert.Equal(AssemblyOptions.All.Select(o => o.Name).OrderBy(k => k), documented.Keys.OrderBy(k => k));
            Assert.All(documented.Values, a => Assert.False(string.IsNullOrWhiteSpace(a.Descendants(xs + "documentation").Single().Value)));
        }

        [Fact]
        public void The_shared_FodyWeavers_xsd_holds_the_current_schema_fragment()
        {
            // Fody regenerates the schema of a project-level FodyWeavers.xml on each build, but not of the solution-level one.
            XNamespace xs = "http://www.w3.org/2001/XMLSchema";
            var fragment = WithoutNamespaceDeclarations(XElement.Load(System.IO.Path.Combine(RepositoryPaths.Root, "Mirascope.Ops.Fody", "Mirascope.Ops.Fody.xcf")));
            var schema = XDocument.Load(System.IO.Path.Combine(RepositoryPaths.Root, "FodyWeavers.xsd"));

            var element = schema.Descendants(xs + "element").Single(e => (string?)e.Attribute("name") == "Mirascope.Ops");

            Assert.True(
                XNode.DeepEquals(fragment, WithoutNamespaceDeclarations(element.Element(xs + "complexType")!)),
                "FodyWeavers.xsd at the repository root is stale: copy the <Mirascope.Ops> element of the FodyWeavers.xsd a build writes next to a project's FodyWeavers.xml.");
        }

        [Fact]
        public void Assembly_only_options_on_a_method_are_MOPS010()
        {
            const string source = "using Mirascope.Ops;\npublic class C\n{\n    [Trace(IncludeIterators = false)]\n    public int M() { return 1; }\n}\n";
            var path = SourceCompiler.Compile(source, "MisplacedOption");

            var result = new ModuleWeaver().ExecuteTestRun(path, runPeVerify: false);

            var error = Assert.Single(result.Errors);
            Assert.StartsWith("MOPS010:", error.Text);
            Assert.Equal(SourceCompiler.LineOf(source, "public int M()"), error.SequencePoint!.StartLine);
        }

        [Fact]
        public void Assembly_only_options_on_a_class_are_one_MOPS010_at_the_class()
        {
            const string source = "using Mirascope.Ops;\n[Trace(Visibility = TraceVisibility.All)]\npublic class C\n{\n    public int M() { return 1; }\n    public int N() { return 2; }\n    [Trace] public int O() { return 3; }\n}\n";
            var path = SourceCompiler.Compile(source, "MisplacedClassOption");

            var result = new ModuleWeaver().ExecuteTestRun(path, runPeVerify: false);

            var error = Assert.Single(result.Errors);
            Assert.StartsWith("MOPS010:", error.Text);
            Assert.Contains("the class 'C'", error.Text);
            Assert.Equal(SourceCompiler.LineOf(source, "public class C"), error.SequencePoint!.StartLine);
        }

        private static XElement WithoutNamespaceDeclarations(XElement element)
        {
            var copy = new XElement(element);
            copy.DescendantsAndSelf().Attributes().Where(a => a.IsNamespaceDeclaration).Remove();
            return copy;
        }

        private static object? Call(object instance, string method, params object?[] arguments) =>
            instance.GetType().GetMethod(method, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)!
                .Invoke(instance, BindingFlags.DoNotWrapExceptions, null, arguments, null);
    }
}
