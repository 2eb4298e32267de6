using System;
using Mirascope.Ops.Configuration;
using Mirascope.Ops.Tests.Export.Infrastructure;
using OpenTelemetry.Trace;
using Xunit;

namespace Mirascope.Ops.Tests.Export.Profiles
{
    /// <summary>How the profiles are chosen: <c>MIRASCOPE_BACKEND_PROFILES</c>, <c>OpsOptions.BackendProfiles</c>, <c>AddMirascopeOps(profiles)</c>.</summary>
    public sealed class BackendProfileSettingsTests
    {
        [Theory]
        [InlineData("langfuse", BackendProfiles.Langfuse)]
        [InlineData("openinference", BackendProfiles.OpenInference)]
        [InlineData("genai", BackendProfiles.GenAI)]
        [InlineData("Langfuse, OpenInference", BackendProfiles.Langfuse | BackendProfiles.OpenInference)]
        [InlineData(" langfuse;genai  openinference ", BackendProfiles.Langfuse | BackendProfiles.OpenInference | BackendProfiles.GenAI)]
        [InlineData("none", BackendProfiles.None)]
        [InlineData("", BackendProfiles.None)]
        public void MIRASCOPE_BACKEND_PROFILES_names_the_profiles_in_any_case_and_separated_by_commas_semicolons_or_spaces(string value, BackendProfiles expected)
        {
            var options = OpsPipeline.ResolveOptions(null, TestEnvironment.With(("MIRASCOPE_BACKEND_PROFILES", value)));

            Assert.Equal(expected, options.BackendProfiles);
        }

        [Fact]
        public void Without_the_variable_there_is_no_profile()
        {
            Assert.Equal(BackendProfiles.None, OpsPipeline.ResolveOptions(null, TestEnvironment.Empty).BackendProfiles);
        }

        [Fact]
        public void An_unknown_profile_name_fails_Configure_naming_the_variable_the_name_and_the_known_names()
        {
            var exception = Assert.Throws<ArgumentException>(() =>
                OpsPipeline.ResolveOptions(null, TestEnvironment.With(("MIRASCOPE_BACKEND_PROFILES", "langfuse,phoenix"))));

            Assert.Contains("MIRASCOPE_BACKEND_PROFILES is 'langfuse,phoenix': 'phoenix' is not a backend profile", exception.Message);
            Assert.Contains("'langfuse', 'openinference', 'genai'", exception.Message);
        }

        [Fact]
        public void A_value_set_in_code_wins_over_the_variable()
        {
            var options = OpsPipeline.ResolveOptions(o => o.BackendProfiles = BackendProfiles.GenAI, TestEnvironment.With(("MIRASCOPE_BACKEND_PROFILES", "langfuse")));

            Assert.Equal(BackendProfiles.GenAI, options.BackendProfiles);
        }

        [Fact]
        public void A_profile_value_no_profile_has_fails_Configure_and_AddMirascopeOps()
        {
            var configure = Assert.Throws<ArgumentException>(() => OpsPipeline.ResolveOptions(o => o.BackendProfiles = (BackendProfiles)9, TestEnvironment.Empty));
            Assert.Contains("BackendProfiles is 9, which holds no backend profile for 8", configure.Message);

            var add = Assert.Throws<ArgumentException>(() => OpenTelemetry.Sdk.CreateTracerProviderBuilder().AddMirascopeOps((BackendProfiles)16));
            Assert.Equal("profiles", add.ParamName);
        }

        [Fact]
        public void OpsOptions_ToString_names_the_profiles()
        {
            Assert.Contains("BackendProfiles = Langfuse, OpenInference", new OpsOptions { BackendProfiles = BackendProfiles.Langfuse | BackendProfiles.OpenInference }.ToString());
        }
    }
}
