using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Reflection;
using Fody;
using Mirascope.Ops.Fody;
using Mirascope.Ops.Fody.Emit;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>
    /// The trimming roots the weaver writes so a native AOT or trimmed app keeps the metadata the recorder reads:
    /// which types are rooted, with which members, and that every woven method points at them. (That a native binary
    /// then records what the JIT records is NativeAotPublishTests' job; this pins the closure rules fast.)
    /// </summary>
    public sealed class RecordedTypeRootsTests
    {
        private const DynamicallyAccessedMemberTypes FieldsAndProperties =
            DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.NonPublicFields | DynamicallyAccessedMemberTypes.PublicProperties;

        private const string Source = """
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using System.Diagnostics.CodeAnalysis;
            using Mirascope.Ops;

            namespace Roots
            {
                public enum Tier { Silver, Gold }
                public sealed record Address(string City);
                public sealed record Line(string Sku);
                public sealed class Order { public Address? Ship { get; set; } public List<Line> Lines { get; } = new(); public Tier Tier; }
                public sealed class Result { public Dictionary<string, Nested> ByKey { get; } = new(); }
                public sealed class Nested { public int Value { get; set; } }
                public abstract class Shape { public int Id { get; set; } }
                public sealed class Square : Shape { public int Side { get; set; } }
                public interface IPet { }
                public sealed class Cat : IPet { public string Name { get; set; } = ""; }
                public sealed class Box<T> { public T? Value { get; set; } }
                public sealed class Oops : Exception { public string Detail { get; set; } = ""; }
                public sealed class Unreached { public int Never { get; set; } }
                public sealed class Accessor
                {
                    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)]
                    private readonly Type _type;
                    private readonly int _uses;
                    public Accessor(Type type) { _type = type; _uses = 1; }
                    public string Name { get; set; } = "";
                    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)]
                    public Type Kind => _type;
                    public int Uses => _uses;
                }

                public static class Api
                {
                    [Trace] public static int Take(Order order, ref Shape shape, IPet[] pets, Box<Line>? box, Oops error) => 1;
                    [Trace] public static Task<Result> GetAsync(int id) => Task.FromResult(new Result());
                    [Trace] public static object Anonymous() => new { Name = "x", Inner = new { Where = new Address("Lyon") } };
                    public static int NotTraced(Unreached value) => value.Never;
                    [Trace] public static string Describe(Accessor accessor) => accessor.Name;
                }
            }
            """;

        private static readonly Lazy<Assembly> Woven = new Lazy<Assembly>(() =>
            new ModuleWeaver().ExecuteTestRun(SourceCompiler.Compile(Source, "RecordedTypeRoots"), runPeVerify: false).Assembly);

        [Fact]
        public void The_closure_of_woven_signatures_is_rooted_and_nothing_else()
        {
            var roots = Roots();
            var rooted = roots.Where(r => r.Member is null).ToDictionary(r => r.Type.Name, r => r.MemberTypes);

            foreach (var name in new[] { "Order", "Address", "Line", "Result", "Nested", "Shape", "Square", "Cat", "Box`1" })
            {
                Assert.True(rooted.TryGetValue(name, out var members), name + " is not rooted; rooted: " + string.Join(", ", rooted.Keys));
                Assert.Equal(FieldsAndProperties, members);
            }

            // Anonymous types reach a traced method only as object: every one of the assembly is rooted.
            Assert.Equal(2, rooted.Keys.Count(k => k.StartsWith("<>f__AnonymousType", StringComparison.Ordinal)));

            // BCL types (the runtime roots what it reads of them), enums, interfaces and unreached types are not.
            Assert.DoesNotContain("Unreached", rooted.Keys);
            Assert.DoesNotContain("Tier", rooted.Keys);
            Assert.DoesNotContain("IPet", rooted.Keys);
            Assert.DoesNotContain(rooted.Keys, k => k.StartsWith("List", StringComparison.Ordinal) || k.StartsWith("Task", StringComparison.Ordinal));
        }

        [Fact]
        public void A_type_deriving_from_a_BCL_class_roots_its_own_properties_by_name_not_the_inherited_ones()
        {
            // PublicProperties would take Exception.TargetSite, which is [RequiresUnreferencedCode]: a trim warning.
            var roots = Roots().Where(r => r.Type.Name == "Oops").ToList();
            Assert.Contains(roots, r => r.Member is null && r.MemberTypes == (DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.NonPublicFields));
            Assert.Contains(roots, r => r.Member == "Detail");
            Assert.Equal(2, roots.Count);
        }

        [Fact]
        public void A_type_with_a_member_the_trimmer_guards_roots_its_other_members_by_name_and_never_the_guarded_ones()
        {
            // A root of all fields would reach the [DynamicallyAccessedMembers] field: ILC's IL2110, an error in a
            // library's own AOT publish with warnings as errors.
            var roots = Roots().Where(r => r.Type.Name == "Accessor").ToList();
            Assert.DoesNotContain(roots, r => r.Member is null);
            Assert.Equal(new[] { "<Name>k__BackingField", "Name", "Uses", "_uses" }, roots.Select(r => r.Member!).OrderBy(m => m, StringComparer.Ordinal));
        }

        [Fact]
        public void Every_woven_method_points_at_the_roots_and_an_unwoven_one_does_not()
        {
            var api = Woven.Value.GetType("Roots.Api", throwOnError: true)!;
            foreach (var method in new[] { "Take", "GetAsync", "Anonymous" })
            {
                var pointer = Assert.Single(api.GetMethod(method)!.GetCustomAttributesData(), a => a.AttributeType == typeof(DynamicDependencyAttribute));
                Assert.Equal(RecordedTypeRoots.KeepMethodName, pointer.ConstructorArguments[0].Value);
                Assert.Equal(RecordedTypeRoots.HolderName, ((Type)pointer.ConstructorArguments[1].Value!).Name);
            }

            Assert.DoesNotContain(api.GetMethod("NotTraced")!.GetCustomAttributesData(), a => a.AttributeType == typeof(DynamicDependencyAttribute));
        }

        private sealed record Root(Type Type, DynamicallyAccessedMemberTypes MemberTypes, string? Member);

        private static List<Root> Roots()
        {
            var holder = Woven.Value.GetType(RecordedTypeRoots.HolderName, throwOnError: true)!;
            var keep = holder.GetMethod(RecordedTypeRoots.KeepMethodName, BindingFlags.NonPublic | BindingFlags.Static)!;
            return keep.GetCustomAttributesData()
                .Where(a => a.AttributeType == typeof(DynamicDependencyAttribute))
                .Select(a => a.ConstructorArguments[0].Value is string member
                    ? new Root((Type)a.ConstructorArguments[1].Value!, DynamicallyAccessedMemberTypes.None, member)
                    : new Root((Type)a.ConstructorArguments[1].Value!, (DynamicallyAccessedMemberTypes)(int)a.ConstructorArguments[0].Value!, null))
                .ToList();
        }
    }
}
