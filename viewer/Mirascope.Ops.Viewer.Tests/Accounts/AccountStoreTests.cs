using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Mirascope.Ops.Viewer.Accounts;
using Mirascope.Ops.Viewer.Storage;
using Xunit;

namespace Mirascope.Ops.Viewer.Tests.Accounts
{
    /// <summary>
    /// Organizations, projects, environments, people, roles, keys and sessions in the store. Written over
    /// <see cref="TraceStore.Engine"/> only, so the same tests run on PostgreSQL once the suite runs there.
    /// </summary>
    public sealed class AccountStoreTests : IDisposable
    {
        private const string Password = "correct horse battery staple";
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "mirascope-viewer-tests", Guid.NewGuid().ToString("N"));
        private readonly string _location;
        private readonly TraceStore _store;
        private readonly AccountStore _accounts;

        public AccountStoreTests()
        {
            Directory.CreateDirectory(_folder);
            _location = Infrastructure.TestStore.NewLocation(_folder);
            _store = new TraceStore(_location);
            _accounts = new AccountStore(_store.Engine);
        }

        [Fact]
        public void A_key_is_kept_only_as_its_sha256_and_a_short_prefix_and_is_shown_once()
        {
            var (_, _, environment, admin) = Team();
            var (record, key) = _accounts.CreateKey(environment.Id, "ci", admin.Id, DateTimeOffset.UtcNow);

            Assert.StartsWith("mk_", key, StringComparison.Ordinal);
            Assert.Equal(key.Substring(0, 10) + "...", record.Prefix);
            var rows = Rows("SELECT id, environment_id, name, key_hash, key_prefix, owner_user_id FROM api_keys");
            var row = Assert.Single(rows);
            Assert.DoesNotContain(row, cell => cell.Contains(key.Substring(10), StringComparison.Ordinal));   // no part of the secret beyond the prefix
            Assert.Contains(ApiKeySecret.Hash(key), row);
            Assert.Matches("^[0-9a-f]{64}$", ApiKeySecret.Hash(key));
            Assert.DoesNotContain(_accounts.Keys(environment.ProjectId), k => k.Prefix.Length > 13);
        }

        [Fact]
        public void A_key_grants_its_environment_project_organization_and_its_owners_role()
        {
            var (organization, project, environment, admin) = Team();
            var (_, key) = _accounts.CreateKey(environment.Id, "ci", admin.Id, DateTimeOffset.UtcNow);

            var scope = _accounts.FindKey(key);

            Assert.Equal(new AccessScope(admin.Id, organization.Id, project.Id, environment.Id, ProjectRole.Admin, ByKey: true), scope);
            Assert.Null(_accounts.FindKey(key + "x"));
            Assert.Null(_accounts.FindKey("mk_unknown"));
        }

        [Fact]
        public void A_revoked_key_authenticates_nothing()
        {
            var (_, _, environment, admin) = Team();
            var (record, key) = _accounts.CreateKey(environment.Id, "ci", admin.Id, DateTimeOffset.UtcNow);

            Assert.True(_accounts.RevokeKey(record.Id, DateTimeOffset.UtcNow));

            Assert.Null(_accounts.FindKey(key));
            Assert.False(_accounts.RevokeKey(record.Id, DateTimeOffset.UtcNow));
            Assert.NotNull(_accounts.GetKey(record.Id)!.RevokedMs);
        }

        [Fact]
        public void A_keys_role_follows_its_owner_so_a_key_of_someone_removed_from_the_project_does_nothing()
        {
            var (organization, project, environment, _) = Team();
            var developer = _accounts.CreateUser("dev@example.com", Password, DateTimeOffset.UtcNow);
            _accounts.SetMember(project.Id, developer.Id, ProjectRole.Developer);
            var (_, key) = _accounts.CreateKey(environment.Id, "dev", developer.Id, DateTimeOffset.UtcNow);
            Assert.Equal(ProjectRole.Developer, _accounts.FindKey(key)!.Role);

            _accounts.SetMember(project.Id, developer.Id, ProjectRole.Viewer);
            Assert.Equal(ProjectRole.Viewer, _accounts.FindKey(key)!.Role);

            using (var connection = _store.Open())
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "DELETE FROM project_members";
                command.ExecuteNonQuery();
            }

            Assert.Null(_accounts.FindKey(key));
            Assert.Equal(organization.Id, project.OrganizationId);
        }

        [Fact]
        public void A_password_is_stored_as_pbkdf2_sha256_with_600000_iterations_and_a_salt_of_its_own()
        {
            var first = _accounts.CreateUser("a@example.com", Password, DateTimeOffset.UtcNow);
            var second = _accounts.CreateUser("b@example.com", Password, DateTimeOffset.UtcNow);

            var hashes = Rows("SELECT password_hash FROM users ORDER BY email").Select(r => r[0]).ToArray();

            Assert.All(hashes, h => Assert.Matches(@"^pbkdf2-sha256\$600000\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$", h));
            Assert.NotEqual(hashes[0].Split('$')[2], hashes[1].Split('$')[2]);
            Assert.DoesNotContain(hashes, h => h.Contains(Password, StringComparison.Ordinal));
            Assert.Equal(first.Id, _accounts.VerifyPassword(" A@Example.com ", Password)!.Id);
            Assert.Equal(second.Id, _accounts.VerifyPassword("b@example.com", Password)!.Id);
        }

        [Fact]
        public void A_wrong_password_and_an_unknown_email_fail_alike_and_take_the_same_derivation()
        {
            _accounts.CreateUser("a@example.com", Password, DateTimeOffset.UtcNow);

            Assert.Null(_accounts.VerifyPassword("a@example.com", Password + "!"));
            Assert.Null(_accounts.VerifyPassword("nobody@example.com", Password));

            // Both paths run one PBKDF2 of 600,000 iterations (counted on this thread: exact, unlike a clock on a shared machine) ...
            Assert.Equal(PasswordHash.Iterations, Iterations(() => _accounts.VerifyPassword("a@example.com", "not the password at all")));
            Assert.Equal(PasswordHash.Iterations, Iterations(() => _accounts.VerifyPassword("nobody@example.com", "not the password at all")));
            // ... so an unknown email is not answered in a fraction of the time (without the decoy it would take ~1 ms against ~100s).
            var wrong = Fastest(() => _accounts.VerifyPassword("a@example.com", "not the password at all"));
            var unknown = Fastest(() => _accounts.VerifyPassword("nobody@example.com", "not the password at all"));
            Assert.True(unknown.TotalMilliseconds > 0.2 * wrong.TotalMilliseconds, $"unknown email {unknown.TotalMilliseconds} ms, wrong password {wrong.TotalMilliseconds} ms");
        }

        [Fact]
        public void A_short_password_or_a_taken_email_is_refused_with_the_reason()
        {
            _accounts.CreateUser("a@example.com", Password, DateTimeOffset.UtcNow);

            Assert.Contains("at least 12 characters", Assert.Throws<ArgumentException>(() => _accounts.CreateUser("c@example.com", "short", DateTimeOffset.UtcNow)).Message);
            Assert.Contains("a@example.com exists", Assert.Throws<AccountConflictException>(() => _accounts.CreateUser("A@example.com", Password, DateTimeOffset.UtcNow)).Message);
            Assert.Contains("name@example.com", Assert.Throws<ArgumentException>(() => _accounts.CreateUser("not-an-email", Password, DateTimeOffset.UtcNow)).Message);
        }

        [Fact]
        public void A_session_is_stored_as_its_hash_and_ends_at_sign_out_or_expiry()
        {
            var user = _accounts.CreateUser("a@example.com", Password, DateTimeOffset.UtcNow);
            var now = DateTimeOffset.UtcNow;
            var token = _accounts.CreateSession(user.Id, now);

            Assert.DoesNotContain(Rows("SELECT token_hash, user_id FROM sessions").SelectMany(r => r), cell => cell.Contains(token, StringComparison.Ordinal));
            Assert.Equal(user.Id, _accounts.FindSession(token, now)!.Id);
            // A second store object on the same database (another viewer process) accepts it too.
            Assert.Equal(user.Id, new AccountStore(new TraceStore(_location).Engine).FindSession(token, now)!.Id);
            Assert.Null(_accounts.FindSession(token, now + AccountStore.SessionLifetime + TimeSpan.FromMinutes(1)));

            _accounts.EndSession(token);
            Assert.Null(_accounts.FindSession(token, now));
        }

        [Fact]
        public void Someone_without_a_membership_has_no_role_and_an_organization_owner_is_admin_of_its_projects()
        {
            var (organization, project, _, admin) = Team();
            var stranger = _accounts.CreateUser("stranger@example.com", Password, DateTimeOffset.UtcNow);
            var other = _accounts.CreateProject(organization.Id, "other", DateTimeOffset.UtcNow);

            Assert.Null(_accounts.RoleOf(stranger.Id, project.Id));
            Assert.Empty(_accounts.ProjectsOf(stranger.Id));
            Assert.Equal(ProjectRole.Admin, _accounts.RoleOf(admin.Id, other.Id));
            Assert.Equal(new[] { "other", "shop" }, _accounts.ProjectsOf(admin.Id).Select(p => p.Project.Name));
            Assert.Null(_accounts.RoleOf(admin.Id, "no-such-project"));
        }

        [Fact]
        public void Names_are_unique_where_the_cloud_made_them_unique()
        {
            var (organization, project, _, _) = Team();

            Assert.Throws<AccountConflictException>(() => _accounts.CreateProject(organization.Id, "shop", DateTimeOffset.UtcNow));
            Assert.Throws<AccountConflictException>(() => _accounts.CreateEnvironment(project.Id, "production", DateTimeOffset.UtcNow));
            var second = _accounts.CreateOrganization("Other", DateTimeOffset.UtcNow);
            Assert.Equal("shop", _accounts.CreateProject(second.Id, "shop", DateTimeOffset.UtcNow).Name);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private (Organization, Project, EnvironmentRecord, UserRecord) Team()
        {
            var now = DateTimeOffset.UtcNow;
            var admin = _accounts.CreateUser("admin@example.com", Password, now);
            var organization = _accounts.CreateOrganization("Acme", now);
            _accounts.AddOwner(organization.Id, admin.Id);
            var project = _accounts.CreateProject(organization.Id, "shop", now);
            var environment = _accounts.CreateEnvironment(project.Id, "production", now);
            return (organization, project, environment, admin);
        }

        private string[][] Rows(string sql)
        {
            using var connection = _store.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;   // the test's own fixed text
            using var reader = command.ExecuteReader();
            var rows = new System.Collections.Generic.List<string[]>();
            while (reader.Read())
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? string.Empty : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!).ToArray());
            }

            return rows.ToArray();
        }

        private static long Iterations(Action action)
        {
            var before = PasswordHash.IterationsVerifiedOnThisThread;
            action();
            return PasswordHash.IterationsVerifiedOnThisThread - before;
        }

        /// <summary>The fastest of three runs: the least disturbed by other work on the machine.</summary>
        private static TimeSpan Fastest(Action action) => Enumerable.Range(0, 3).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            action();
            return watch.Elapsed;
        }).Min();
    }
}
