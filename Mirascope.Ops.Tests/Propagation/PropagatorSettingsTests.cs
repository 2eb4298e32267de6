using Mirascope.Ops.Propagation;
using Xunit;

namespace Mirascope.Ops.Tests.Propagation
{
    public class PropagatorSettingsTests
    {
        [Theory]
        [InlineData(null, typeof(TraceContextPropagator))]
        [InlineData("", typeof(TraceContextPropagator))]
        [InlineData("tracecontext", typeof(TraceContextPropagator))]
        [InlineData("b3", typeof(B3Propagator))]
        [InlineData("B3Multi", typeof(B3Propagator))]
        [InlineData(" jaeger ", typeof(JaegerPropagator))]
        [InlineData("composite", typeof(CompositePropagator))]
        public void Environment_values_name_the_formats_case_insensitively(string? value, System.Type expected)
        {
            var selection = PropagatorSettings.FromEnvironmentValue(value);

            Assert.Null(selection.Error);
            Assert.IsType(expected, selection.Propagator);
        }

        [Fact]
        public void An_unknown_environment_value_is_a_configuration_error_naming_the_value_and_the_choices()
        {
            var selection = PropagatorSettings.FromEnvironmentValue("zipkin");

            Assert.Null(selection.Propagator);
            Assert.Equal(
                "MIRASCOPE_PROPAGATOR is 'zipkin', which is not a propagator format. Use one of: tracecontext, b3, b3multi, jaeger, composite.",
                selection.Error);
        }

        [Fact]
        public void Parse_for_options_throws_an_argument_exception_naming_the_setting()
        {
            var error = Assert.Throws<System.ArgumentException>(() => PropagatorSettings.Parse("w3c", "Propagator"));

            Assert.StartsWith("Propagator is 'w3c', which is not a propagator format.", error.Message);
            Assert.Equal(PropagatorFormat.B3Multi, PropagatorSettings.Parse("b3multi", "Propagator"));
        }
    }
}
