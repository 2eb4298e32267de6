using System;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mirascope.Ops.Viewer.Access;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Storage.Retention;

namespace Mirascope.Ops.Viewer.Api
{
    /// <summary>
    /// <c>GET /api/retention</c> (the project's age and size limits, whether they are its own or the defaults, and how much
    /// it stores) and <c>PUT /api/retention</c> (its ADMIN sets them: <c>{"maxAgeDays": 30, "maxBytes": 5368709120}</c>, null
    /// for no limit of that kind; <c>{"defaults": true}</c> goes back to the viewer's defaults). The project is the request's
    /// (<see cref="RequestScope"/>: the key's, or the person's selected one); in single-developer mode the one implicit project.
    /// </summary>
    internal static class RetentionEndpoints
    {
        public const string Path = "/api/retention";

        public static void Map(IEndpointRouteBuilder routes)
        {
            routes.MapGet(Path, context => CloudFunctionEndpoints.Guarded(context, GetAsync)).Access(AccessRule.Read);
            routes.MapPut(Path, context => CloudFunctionEndpoints.Guarded(context, SetAsync)).Access(AccessRule.Admin);
        }

        private static Task GetAsync(HttpContext context)
        {
            QueryParameters.Only(context);
            return WriteAsync(context, ProjectOf(context));
        }

        private static async Task SetAsync(HttpContext context)
        {
            var body = await CloudFunctionEndpoints.ReadBodyAsync(context).ConfigureAwait(false);
            var policies = context.RequestServices.GetRequiredService<RetentionPolicies>();
            var project = ProjectOf(context);
            if (JsonBodyFields.OptionalBool(body, "defaults") == true)
            {
                policies.Reset(project);
            }
            else
            {
                if (!JsonBodyFields.Has(body, "maxAgeDays") || !JsonBodyFields.Has(body, "maxBytes"))
                {
                    throw new BadParameterException(JsonBodyFields.Has(body, "maxAgeDays") ? "maxBytes" : "maxAgeDays",
                        "is required (a number, or null for no limit); or send {\"defaults\": true}");
                }

                var days = JsonBodyFields.OptionalNumber(body, "maxAgeDays", 0.001, RetentionPolicy.LargestAge.TotalDays);
                var bytes = JsonBodyFields.OptionalNumber(body, "maxBytes", 1024, RetentionPolicy.LargestBytes);
                policies.Set(project, new RetentionPolicy(days is { } d ? TimeSpan.FromDays(d) : null, bytes is { } b ? (long)b : null), DateTimeOffset.UtcNow);
            }

            await WriteAsync(context, project).ConfigureAwait(false);
        }

        private static Task WriteAsync(HttpContext context, string project)
        {
            var policies = context.RequestServices.GetRequiredService<RetentionPolicies>();
            var store = context.RequestServices.GetRequiredService<TraceStore>();
            var (policy, own) = policies.Of(project);
            var (traces, bytes) = RetentionUsage.Of(store, project);
            return JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, json =>
            {
                json.WriteStartObject();
                json.WriteString("projectId", project);
                json.WriteBoolean("defaults", !own);
                WriteNumber(json, "maxAgeDays", policy.MaxAge?.TotalDays);
                WriteNumber(json, "maxBytes", policy.MaxBytes);
                json.WriteNumber("traces", traces);
                json.WriteNumber("bytes", bytes);
                json.WriteEndObject();
            });
        }

        private static void WriteNumber(Utf8JsonWriter json, string name, double? value)
        {
            if (value is { } number)
            {
                json.WriteNumber(name, number);
            }
            else
            {
                json.WriteNull(name);
            }
        }

        /// <summary>The request's project; the implicit one in single-developer mode.</summary>
        private static string ProjectOf(HttpContext context) => RequestScope.Of(context)?.ProjectId ?? TraceEnvironments.Implicit;
    }
}
