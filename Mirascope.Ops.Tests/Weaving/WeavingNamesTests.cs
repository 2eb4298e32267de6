using System;
using System.Linq;
using System.Reflection;
using Xunit;
using WeaverSide = Mirascope.Ops.Fody;

namespace Mirascope.Ops.Tests.Weaving
{
    /// <summary>
    /// The names the weaver and the runtime agree on (Mirascope.Ops/Weaving/WeavingNames.cs, compiled into both) are
    /// the names of the runtime's attributes, types and methods; the weaver's visibility enum is the runtime's.
    /// </summary>
    public class WeavingNamesTests
    {
        [Theory]
        [InlineData(typeof(WeaverSide.TraceProperties), typeof(TraceAttribute))]
        [InlineData(typeof(WeaverSide.VersionProperties), typeof(VersionAttribute))]
        [InlineData(typeof(WeaverSide.AgentProperties), typeof(AgentAttribute))]
        public void Every_property_name_the_weaver_reads_is_a_property_of_the_attribute(Type names, Type attribute)
        {
            var properties = attribute.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToHashSet();

            Assert.All(Constants(names), name => Assert.Contains(name, properties));
        }

        [Fact]
        public void The_trace_properties_name_every_settable_property_of_TraceAttribute()
        {
            var settable = typeof(TraceAttribute).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name);

            Assert.Equal(settable.OrderBy(n => n), Constants(typeof(WeaverSide.TraceProperties)).OrderBy(n => n));
        }

        [Fact]
        public void The_agent_properties_name_every_settable_property_of_AgentAttribute()
        {
            var settable = typeof(AgentAttribute).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name);

            Assert.Equal(settable.OrderBy(n => n), Constants(typeof(WeaverSide.AgentProperties)).OrderBy(n => n));
        }

        [Fact]
        public void The_assembly_only_options_of_the_table_are_the_assembly_only_properties_of_TraceAttribute()
        {
            Assert.Equal(
                new[] { "ExcludeNamespaces", "IncludeIterators", "IncludeNamespaces", "Visibility" },
                WeaverSide.Targets.AssemblyOptions.All.Where(o => o.OnAttribute).Select(o => o.Name).OrderBy(n => n));
        }

        [Fact]
        public void The_weaver_visibility_has_the_names_and_values_of_TraceVisibility()
        {
            Assert.Equal(
                Enum.GetValues<TraceVisibility>().Select(v => (v.ToString(), (int)v)),
                Enum.GetValues<WeaverSide.Targets.Visibility>().Select(v => (v.ToString(), (int)v)));
        }

        [Fact]
        public void Every_runtime_type_the_weaver_finds_by_name_is_in_the_runtime_assembly()
        {
            var runtime = typeof(TraceAttribute).Assembly;

            Assert.Equal(WeaverSide.RuntimeTypeNames.Assembly, runtime.GetName().Name);
            Assert.All(
                Constants(typeof(WeaverSide.RuntimeTypeNames)).Where(n => n != WeaverSide.RuntimeTypeNames.Assembly),
                name => Assert.NotNull(runtime.GetType(name, throwOnError: false)));
        }

        [Theory]
        [InlineData(typeof(WeaverSide.TracedMethodMembers), typeof(Mirascope.Ops.Weaving.TracedMethod))]
        [InlineData(typeof(WeaverSide.TraceScopeMembers), typeof(Mirascope.Ops.Weaving.TraceScope))]
        public void Every_member_woven_code_calls_is_a_method_of_the_runtime_type(Type names, Type runtimeType)
        {
            var methods = runtimeType.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static).Select(m => m.Name).ToHashSet();

            Assert.All(Constants(names), name => Assert.Contains(name, methods));
        }

        private static string[] Constants(Type names) =>
            names.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToArray();
    }
}
