using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Mirascope.Ops.Viewer.Accounts;
using Mirascope.Ops.Viewer.Api;

namespace Mirascope.Ops.Viewer.Access
{
    /// <summary>
    /// <see cref="ViewerAccess"/>'s accounts-mode step: who is asking (a key from the store, or a signed-in person's
    /// session), which project and environment the request is about, and whether their role there is at least the
    /// route's <see cref="AccessRule.Role"/>.
    /// <list type="bullet">
    /// <item>No key and no session: 401 (the page: the sign-in form). An unknown or revoked key: 401.</item>
    /// <item>The project: a route's <c>{projectId}</c>, <c>{environmentId}</c> or <c>{keyId}</c>; else the key's own
    /// environment (keys act only there, as the Cloud's did); else the person's selected environment
    /// (<see cref="EnvironmentSelection"/>) or their first one.</item>
    /// <item>A project, environment or key that does not exist, or that the caller has no role in (a key: any other than its
    /// own): 404, the same answer either way, so nobody learns what exists in projects that are not theirs.</item>
    /// <item>A role below the route's: 403.</item>
    /// </list>
    /// </summary>
    internal static class AccountAccess
    {
        public const string NotFoundMessage = "not found";
        public const string InvalidKeyMessage = "invalid API key (unknown or revoked)";

        public static async Task HandleAsync(HttpContext context, RequestDelegate next, AccessRule rule, bool writes, AccountStore accounts)
        {
            var request = context.Request;
            if (rule == AccessRule.SignIn)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var now = DateTimeOffset.UtcNow;
            AccessScope? scope = null;
            UserRecord? person = null;
            var key = CloudApiKey.Presented(request);
            if (key is not null)
            {
                scope = accounts.FindKey(key);
                if (scope is null)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await ViewerAccess.RefuseAsync(context, StatusCodes.Status401Unauthorized, 16, "UnauthorizedError", InvalidKeyMessage).ConfigureAwait(false);
                    return;
                }
            }
            else if (AccountSession.Presented(request) is { } token && accounts.FindSession(token, now) is { } user)
            {
                person = user;
                if (writes && request.Headers.Origin.ToString().Length == 0)
                {
                    // Only the page uses the cookie, and a browser sends Origin with every write: a cookie without it is not the page.
                    await ViewerAccess.RefuseAsync(context, StatusCodes.Status403Forbidden, 7, "ForbiddenError", ViewerAccess.CrossOriginMessage).ConfigureAwait(false);
                    return;
                }
            }
            else
            {
                if (HttpMethods.IsGet(request.Method) && request.Path == "/")
                {
                    await AccountSignIn.WriteFormAsync(context, StatusCodes.Status401Unauthorized, problem: null).ConfigureAwait(false);
                    return;
                }

                context.Response.Headers.WWWAuthenticate = "Bearer";
                await ViewerAccess.RefuseAsync(context, StatusCodes.Status401Unauthorized, 16, "UnauthorizedError", CloudApiKey.Required).ConfigureAwait(false);
                return;
            }

            var named = NamedProject(context, accounts, out var unknown);
            if (unknown)
            {
                await NotFoundAsync(context).ConfigureAwait(false);
                return;
            }

            if (scope is not null)
            {
                if (named is not null && named.Value.ProjectId != scope.ProjectId)
                {
                    await NotFoundAsync(context).ConfigureAwait(false);
                    return;
                }
            }
            else if (person is not null)
            {
                scope = ScopeOfPerson(context, accounts, person, named, out var notFound);
                if (notFound)
                {
                    await NotFoundAsync(context).ConfigureAwait(false);
                    return;
                }
            }

            if (rule.NeedsOwner && accounts.OwnedOrganizations((scope?.UserId ?? person?.Id)!).Count == 0)
            {
                await ViewerAccess.RefuseAsync(context, StatusCodes.Status403Forbidden, 7, "ForbiddenError", "only an owner of the organization may do this").ConfigureAwait(false);
                return;
            }

            if (rule.Role is { } needed)
            {
                if (scope is null)
                {
                    await NotFoundAsync(context).ConfigureAwait(false);   // a person with no project at all
                    return;
                }

                if (scope.Role < needed)
                {
                    await ViewerAccess.RefuseAsync(context, StatusCodes.Status403Forbidden, 7, "ForbiddenError",
                        $"this needs the role {ProjectRoles.Name(needed)} or above in the project; yours is {ProjectRoles.Name(scope.Role)}").ConfigureAwait(false);
                    return;
                }
            }

            RequestScope.Set(context, scope);
            RequestPerson.Set(context, person?.Id ?? scope?.UserId);
            await next(context).ConfigureAwait(false);
        }

        /// <summary>The project (and environment, when one is named) a route's <c>{projectId}</c>, <c>{environmentId}</c> or <c>{keyId}</c> names; unknown when it names none that exists.</summary>
        private static (string ProjectId, string? EnvironmentId)? NamedProject(HttpContext context, AccountStore accounts, out bool unknown)
        {
            unknown = false;
            if (context.GetRouteValue("keyId") is string keyId)
            {
                var environment = accounts.GetKey(keyId) is { } record ? accounts.GetEnvironment(record.EnvironmentId) : null;
                unknown = environment is null;
                return environment is null ? null : (environment.ProjectId, environment.Id);
            }

            if (context.GetRouteValue("environmentId") is string environmentId)
            {
                var environment = accounts.GetEnvironment(environmentId);
                unknown = environment is null;
                return environment is null ? null : (environment.ProjectId, environment.Id);
            }

            if (context.GetRouteValue("projectId") is string projectId)
            {
                unknown = accounts.GetProject(projectId) is null;
                return unknown ? null : (projectId, null);
            }

            return null;
        }

        private static AccessScope? ScopeOfPerson(HttpContext context, AccountStore accounts, UserRecord person, (string ProjectId, string? EnvironmentId)? named, out bool notFound)
        {
            notFound = false;
            if (named is { } route)
            {
                if (accounts.RoleOf(person.Id, route.ProjectId) is not { } role || accounts.GetProject(route.ProjectId) is not { } project)
                {
                    notFound = true;
                    return null;
                }

                var environmentId = route.EnvironmentId ?? accounts.Environments(project.Id).FirstOrDefault()?.Id ?? string.Empty;
                return new AccessScope(person.Id, project.OrganizationId, project.Id, environmentId, role, ByKey: false);
            }

            var (selected, explicitly) = EnvironmentSelection.Of(context.Request);
            if (selected is not null)
            {
                if (accounts.GetEnvironment(selected) is { } environment && accounts.GetProject(environment.ProjectId) is { } project
                    && accounts.RoleOf(person.Id, project.Id) is { } role)
                {
                    return new AccessScope(person.Id, project.OrganizationId, project.Id, environment.Id, role, ByKey: false);
                }

                if (explicitly)
                {
                    notFound = true;
                    return null;
                }
            }

            // Nothing (valid) selected: the first environment of the person's first project that has one.
            foreach (var view in accounts.ProjectsOf(person.Id))
            {
                if (view.Environments.Count > 0)
                {
                    return new AccessScope(person.Id, view.Project.OrganizationId, view.Project.Id, view.Environments[0].Id, view.Role, ByKey: false);
                }
            }

            return null;
        }

        private static Task NotFoundAsync(HttpContext context) =>
            ViewerAccess.RefuseAsync(context, StatusCodes.Status404NotFound, 5, "NotFoundError", NotFoundMessage);   // google.rpc NOT_FOUND
    }

    /// <summary>The id of the person behind a request in accounts mode (signed in, or the owner of the key used).</summary>
    internal static class RequestPerson
    {
        private static readonly object Key = new object();

        public static void Set(HttpContext context, string? userId) => context.Items[Key] = userId;

        public static string? Of(HttpContext context) => context.Items.TryGetValue(Key, out var id) ? id as string : null;
    }
}
