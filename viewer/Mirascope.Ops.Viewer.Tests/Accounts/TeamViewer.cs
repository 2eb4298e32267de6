using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Mirascope.Ops.Viewer.Accounts;
using Mirascope.Ops.Viewer.Storage;
using Mirascope.Ops.Viewer.Tests.Infrastructure;

namespace Mirascope.Ops.Viewer.Tests.Accounts
{
    /// <summary>
    /// A viewer in accounts mode: before it starts, its store gets an organization with project "shop" (environments
    /// production and staging) and project "other" (environment production), a person per role in "shop" with a key of
    /// shop/production each, and an outsider who is ADMIN of "other" only.
    /// </summary>
    internal sealed class TeamViewer
    {
        public const string Password = "correct horse battery staple";

        public required RunningViewer Viewer { get; init; }
        public required Project Shop { get; init; }
        public required EnvironmentRecord Production { get; init; }
        public required EnvironmentRecord Staging { get; init; }
        public required Project Other { get; init; }
        public required EnvironmentRecord OtherProduction { get; init; }
        public required IReadOnlyDictionary<ProjectRole, (UserRecord User, string Key)> Members { get; init; }
        public required UserRecord Outsider { get; init; }
        public required string OutsiderKey { get; init; }

        public AccountStore Accounts => Viewer.Services<AccountsMode>().Store;

        public static async Task<TeamViewer> StartAsync(Action<ViewerOptions>? configure = null)
        {
            TeamViewer? team = null;
            Project? shop = null, other = null;
            EnvironmentRecord? production = null, staging = null, otherProduction = null;
            var members = new Dictionary<ProjectRole, (UserRecord, string)>();
            UserRecord? outsider = null;
            string? outsiderKey = null;
            var viewer = await RunningViewer.StartAsync(options =>
            {
                var store = new TraceStore(options.Store);
                var accounts = new AccountStore(store.Engine);
                var now = DateTimeOffset.UtcNow;
                var organization = accounts.CreateOrganization("Acme", now);
                shop = accounts.CreateProject(organization.Id, "shop", now);
                production = accounts.CreateEnvironment(shop.Id, "production", now);
                staging = accounts.CreateEnvironment(shop.Id, "staging", now);
                other = accounts.CreateProject(organization.Id, "other", now);
                otherProduction = accounts.CreateEnvironment(other.Id, "production", now);
                foreach (var role in new[] { ProjectRole.Viewer, ProjectRole.Annotator, ProjectRole.Developer, ProjectRole.Admin })
                {
                    var user = accounts.CreateUser(ProjectRoles.Name(role).ToLowerInvariant() + "@example.com", Password, now);
                    accounts.SetMember(shop.Id, user.Id, role);
                    members[role] = (user, accounts.CreateKey(production.Id, "key of " + user.Email, user.Id, now).Key);
                }

                // The shop's ADMIN also owns the organization (creates projects); that makes them ADMIN of "other" too.
                accounts.AddOwner(organization.Id, members[ProjectRole.Admin].Item1.Id);
                outsider = accounts.CreateUser("outsider@example.com", Password, now);
                accounts.SetMember(other.Id, outsider.Id, ProjectRole.Admin);
                outsiderKey = accounts.CreateKey(otherProduction.Id, "outsider", outsider.Id, now).Key;
                (store.Engine as IDisposable)?.Dispose();
                configure?.Invoke(options);
            });

            team = new TeamViewer
            {
                Viewer = viewer, Shop = shop!, Production = production!, Staging = staging!, Other = other!, OtherProduction = otherProduction!,
                Members = members, Outsider = outsider!, OutsiderKey = outsiderKey!,
            };
            // Helpers that send "with the viewer's key" (RichSpans, RouteTable.SeedAsync) send the shop ADMIN's key.
            viewer.Options.ApiKey = members[ProjectRole.Admin].Item2;
            return team;
        }
    }
}
