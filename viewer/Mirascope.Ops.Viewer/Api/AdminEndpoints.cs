using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mirascope.Ops.Viewer.Access;
using Mirascope.Ops.Viewer.Accounts;

namespace Mirascope.Ops.Viewer.Api
{
    /// <summary>
    /// The accounts API the page's settings view uses (and scripts, with a key): who am I and which projects and
    /// environments can I see; create a project (organization owners), an environment, a key (shown once), revoke a key,
    /// list keys (prefixes only), list members and give a person a role (ADMIN of the project). Each route's rule names the
    /// role; <see cref="AccountAccess"/> resolves <c>{projectId}</c>, <c>{environmentId}</c> and <c>{keyId}</c> and answers
    /// 404 for anything the caller has no role in. In single-developer mode only <c>GET /api/account</c> is mapped
    /// (it answers <c>{"accounts": false}</c>), so that mode's routes are what they were before accounts.
    /// </summary>
    internal static class AdminEndpoints
    {
        public const string AccountPath = "/api/account";
        public const string Root = "/api/admin";
        private const string AccountsOff = "accounts are off in this viewer (single-developer mode); create the first admin with `mirascope-viewer admin create`";

        public static void Map(IEndpointRouteBuilder routes, bool accountsOn)
        {
            routes.MapGet(AccountPath, AccountAsync).Access(AccessRule.Key);
            if (!accountsOn)
            {
                return;
            }

            routes.MapPost(Root + "/projects", context => Guarded(context, CreateProjectAsync)).Access(AccessRule.Owner);
            routes.MapPost(Root + "/projects/{projectId}/environments", context => Guarded(context, CreateEnvironmentAsync)).Access(AccessRule.Admin);
            routes.MapGet(Root + "/projects/{projectId}/keys", context => Guarded(context, KeysAsync)).Access(AccessRule.Admin);
            routes.MapPost(Root + "/environments/{environmentId}/keys", context => Guarded(context, CreateKeyAsync)).Access(AccessRule.Admin);
            routes.MapDelete(Root + "/keys/{keyId}", context => Guarded(context, RevokeKeyAsync)).Access(AccessRule.Admin);
            routes.MapGet(Root + "/projects/{projectId}/members", context => Guarded(context, MembersAsync)).Access(AccessRule.Admin);
            routes.MapPut(Root + "/projects/{projectId}/members", context => Guarded(context, SetMemberAsync)).Access(AccessRule.Admin);
        }

        private static Task AccountAsync(HttpContext context)
        {
            var mode = context.RequestServices.GetRequiredService<AccountsMode>();
            var scope = RequestScope.Of(context);
            var userId = RequestPerson.Of(context);
            if (!mode.On || userId is null)
            {
                return JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, json =>
                {
                    json.WriteStartObject();
                    json.WriteBoolean("accounts", false);
                    json.WriteEndObject();
                });
            }

            var accounts = mode.Store;
            var projects = scope?.ByKey == true
                ? new List<ProjectView> { new ProjectView(accounts.GetProject(scope.ProjectId)!, scope.Role, new[] { accounts.GetEnvironment(scope.EnvironmentId)! }) }
                : accounts.ProjectsOf(userId);
            var owner = accounts.OwnedOrganizations(userId).Count > 0;
            return JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, json =>
            {
                json.WriteStartObject();
                json.WriteBoolean("accounts", true);
                json.WriteString("userId", userId);
                json.WriteBoolean("organizationOwner", owner);
                json.WriteString("projectId", scope?.ProjectId);
                json.WriteString("environmentId", scope?.EnvironmentId);
                json.WriteStartArray("projects");
                foreach (var view in projects)
                {
                    json.WriteStartObject();
                    json.WriteString("id", view.Project.Id);
                    json.WriteString("organizationId", view.Project.OrganizationId);
                    json.WriteString("name", view.Project.Name);
                    json.WriteString("role", ProjectRoles.Name(view.Role));
                    json.WriteStartArray("environments");
                    foreach (var environment in view.Environments)
                    {
                        WriteEnvironment(json, environment);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
        }

        private static async Task CreateProjectAsync(HttpContext context, AccountStore accounts)
        {
            var body = await CloudFunctionEndpoints.ReadBodyAsync(context).ConfigureAwait(false);
            var name = JsonBodyFields.RequiredString(body, "name", maxLength: 100);
            var environmentName = JsonBodyFields.OptionalString(body, "environment", maxLength: 100) ?? "production";
            var userId = RequestPerson.Of(context)!;
            var organization = accounts.OwnedOrganizations(userId)[0];
            var project = accounts.CreateProject(organization.Id, name, DateTimeOffset.UtcNow);
            var environment = accounts.CreateEnvironment(project.Id, environmentName, DateTimeOffset.UtcNow);
            await JsonAnswers.WriteAsync(context, StatusCodes.Status201Created, json =>
            {
                json.WriteStartObject();
                json.WriteString("id", project.Id);
                json.WriteString("organizationId", project.OrganizationId);
                json.WriteString("name", project.Name);
                json.WriteStartArray("environments");
                WriteEnvironment(json, environment);
                json.WriteEndArray();
                json.WriteEndObject();
            }).ConfigureAwait(false);
        }

        private static async Task CreateEnvironmentAsync(HttpContext context, AccountStore accounts)
        {
            var body = await CloudFunctionEndpoints.ReadBodyAsync(context).ConfigureAwait(false);
            var environment = accounts.CreateEnvironment(RequestScope.Of(context)!.ProjectId, JsonBodyFields.RequiredString(body, "name", maxLength: 100), DateTimeOffset.UtcNow);
            await JsonAnswers.WriteAsync(context, StatusCodes.Status201Created, json => WriteEnvironment(json, environment)).ConfigureAwait(false);
        }

        private static Task KeysAsync(HttpContext context, AccountStore accounts)
        {
            var keys = accounts.Keys(RequestScope.Of(context)!.ProjectId);
            return JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, json =>
            {
                json.WriteStartObject();
                json.WriteStartArray("keys");
                foreach (var key in keys)
                {
                    WriteKey(json, key, secret: null);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
        }

        private static async Task CreateKeyAsync(HttpContext context, AccountStore accounts)
        {
            var body = await CloudFunctionEndpoints.ReadBodyAsync(context).ConfigureAwait(false);
            var scope = RequestScope.Of(context)!;
            var (record, key) = accounts.CreateKey(scope.EnvironmentId, JsonBodyFields.RequiredString(body, "name", maxLength: 100), RequestPerson.Of(context)!, DateTimeOffset.UtcNow);
            await JsonAnswers.WriteAsync(context, StatusCodes.Status201Created, json => WriteKey(json, record, key)).ConfigureAwait(false);
        }

        private static Task RevokeKeyAsync(HttpContext context, AccountStore accounts)
        {
            accounts.RevokeKey((string)context.GetRouteValue("keyId")!, DateTimeOffset.UtcNow);
            return JsonAnswers.NoContentAsync(context);
        }

        private static Task MembersAsync(HttpContext context, AccountStore accounts)
        {
            var members = accounts.Members(RequestScope.Of(context)!.ProjectId);
            return JsonAnswers.WriteAsync(context, StatusCodes.Status200OK, json =>
            {
                json.WriteStartObject();
                json.WriteStartArray("members");
                foreach (var member in members)
                {
                    json.WriteStartObject();
                    json.WriteString("userId", member.UserId);
                    json.WriteString("email", member.Email);
                    json.WriteString("role", ProjectRoles.Name(member.Role));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
        }

        /// <summary>
        /// Gives a person a role in the project: <c>{"email", "role"}</c>, and <c>"password"</c> to create their local
        /// account when none has that email (they sign in with it; ask them to keep it to themselves).
        /// </summary>
        private static async Task SetMemberAsync(HttpContext context, AccountStore accounts)
        {
            var body = await CloudFunctionEndpoints.ReadBodyAsync(context).ConfigureAwait(false);
            var email = JsonBodyFields.RequiredString(body, "email", maxLength: 254);
            var roleText = JsonBodyFields.RequiredString(body, "role", maxLength: 20);
            if (!ProjectRoles.TryParse(roleText, out var role))
            {
                throw new BadParameterException("role", "must be one of ADMIN, DEVELOPER, VIEWER, ANNOTATOR");
            }

            var password = JsonBodyFields.OptionalString(body, "password", maxLength: 1024);
            var user = accounts.FindUserByEmail(email);
            var created = false;
            if (user is null)
            {
                if (password is null)
                {
                    throw new BadParameterException("password", "is required to create the account of " + email + " (no account has that email)");
                }

                user = accounts.CreateUser(email, password, DateTimeOffset.UtcNow);
                created = true;
            }

            accounts.SetMember(RequestScope.Of(context)!.ProjectId, user.Id, role);
            await JsonAnswers.WriteAsync(context, created ? StatusCodes.Status201Created : StatusCodes.Status200OK, json =>
            {
                json.WriteStartObject();
                json.WriteString("userId", user.Id);
                json.WriteString("email", user.Email);
                json.WriteString("role", ProjectRoles.Name(role));
                json.WriteEndObject();
            }).ConfigureAwait(false);
        }

        private static void WriteEnvironment(Utf8JsonWriter json, EnvironmentRecord environment)
        {
            json.WriteStartObject();
            json.WriteString("id", environment.Id);
            json.WriteString("projectId", environment.ProjectId);
            json.WriteString("name", environment.Name);
            json.WriteEndObject();
        }

        /// <summary>A key as listed; <paramref name="secret"/> (the key itself) only in the answer that created it.</summary>
        private static void WriteKey(Utf8JsonWriter json, ApiKeyRecord key, string? secret)
        {
            json.WriteStartObject();
            json.WriteString("id", key.Id);
            json.WriteString("environmentId", key.EnvironmentId);
            json.WriteString("name", key.Name);
            json.WriteString("prefix", key.Prefix);
            if (secret is not null)
            {
                json.WriteString("key", secret);
            }

            json.WriteString("createdAt", DateTimeOffset.FromUnixTimeMilliseconds(key.CreatedMs).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            if (key.RevokedMs is { } revoked)
            {
                json.WriteString("revokedAt", DateTimeOffset.FromUnixTimeMilliseconds(revoked).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            }

            json.WriteEndObject();
        }

        /// <summary>404 in single-developer mode; a bad field 400 naming it; a taken name 409; the accounts of this viewer otherwise.</summary>
        private static async Task Guarded(HttpContext context, Func<HttpContext, AccountStore, Task> handle)
        {
            var mode = context.RequestServices.GetRequiredService<AccountsMode>();
            if (!mode.On)
            {
                await JsonAnswers.MessageAsync(context, StatusCodes.Status404NotFound, AccountsOff).ConfigureAwait(false);
                return;
            }

            try
            {
                await CloudFunctionEndpoints.Guarded(context, c => handle(c, mode.Store)).ConfigureAwait(false);
            }
            catch (AccountConflictException exception) when (!context.Response.HasStarted)
            {
                await JsonAnswers.CloudErrorAsync(context, StatusCodes.Status409Conflict, "AlreadyExistsError", exception.Message).ConfigureAwait(false);
            }
            catch (ArgumentException exception) when (!context.Response.HasStarted)
            {
                await JsonAnswers.CloudErrorAsync(context, StatusCodes.Status400BadRequest, "DecodeError", exception.Message).ConfigureAwait(false);
            }
        }
    }
}
