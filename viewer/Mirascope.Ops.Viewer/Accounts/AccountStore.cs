using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Mirascope.Ops.Viewer.Storage;

namespace Mirascope.Ops.Viewer.Accounts
{
    /// <summary>
    /// Organizations, projects, environments, people, their roles, API keys and page sessions, in the span store's database
    /// (either engine; tables in <see cref="AccountTables"/>), so every viewer process on one PostgreSQL sees the same
    /// people, keys and sessions. Writes hold one lock (<see cref="LockName"/>), so "is this name taken" and the insert
    /// are one step on both engines. Keys and session tokens are looked up by their SHA-256 and never stored.
    /// </summary>
    internal sealed class AccountStore
    {
        /// <summary>How long a page session lasts (the Cloud's session cookie: 7 days).</summary>
        public static readonly TimeSpan SessionLifetime = TimeSpan.FromDays(7);

        private const string LockName = "mirascope.viewer.accounts";

        private readonly IStoreEngine _engine;

        public AccountStore(IStoreEngine engine)
        {
            _engine = engine;
        }

        /// <summary>True once the store holds a person: the viewer then runs in accounts mode (see <c>docs/viewer.md</c>).</summary>
        public bool HasUsers() => Scalar(SqlText.Of($"SELECT COUNT(*) FROM users")) is { } n && Convert.ToInt64(n, CultureInfo.InvariantCulture) > 0;

        public Organization CreateOrganization(string name, DateTimeOffset now)
        {
            var organization = new Organization(NewId(), RequireName(name, "an organization"), now.ToUnixTimeMilliseconds());
            Write(SqlText.Of($"SELECT COUNT(*) FROM organizations WHERE name = @name"), command => command.Bind("@name", organization.Name),
                $"an organization named \"{organization.Name}\" exists",
                SqlText.Of($"INSERT INTO organizations (id, name, created_ms) VALUES (@id, @name, @created)"),
                command => command.Bind("@id", organization.Id).Bind("@name", organization.Name).Bind("@created", organization.CreatedMs));
            return organization;
        }

        public Organization? FindOrganizationByName(string name) =>
            ReadOne(SqlText.Of($"SELECT id, name, created_ms FROM organizations WHERE name = @name"), c => c.Bind("@name", name),
                r => new Organization(r.GetString(0), r.GetString(1), r.GetInt64(2)));

        public void AddOwner(string organizationId, string userId) =>
            Write(SqlText.Of($"SELECT COUNT(*) FROM organization_owners WHERE organization_id = @organization AND user_id = @user"),
                c => c.Bind("@organization", organizationId).Bind("@user", userId), null,
                SqlText.Of($"INSERT INTO organization_owners (organization_id, user_id) VALUES (@organization, @user)"),
                c => c.Bind("@organization", organizationId).Bind("@user", userId));

        public bool IsOwner(string organizationId, string userId) =>
            Count(SqlText.Of($"SELECT COUNT(*) FROM organization_owners WHERE organization_id = @organization AND user_id = @user"),
                c => c.Bind("@organization", organizationId).Bind("@user", userId)) > 0;

        /// <summary>The organizations the person owns.</summary>
        public List<Organization> OwnedOrganizations(string userId) =>
            ReadAll(SqlText.Of($"SELECT o.id, o.name, o.created_ms FROM organizations o JOIN organization_owners w ON w.organization_id = o.id WHERE w.user_id = @user ORDER BY o.name"),
                c => c.Bind("@user", userId), r => new Organization(r.GetString(0), r.GetString(1), r.GetInt64(2)));

        public Project CreateProject(string organizationId, string name, DateTimeOffset now)
        {
            var project = new Project(NewId(), organizationId, RequireName(name, "a project"), now.ToUnixTimeMilliseconds());
            Write(SqlText.Of($"SELECT COUNT(*) FROM projects WHERE organization_id = @organization AND name = @name"),
                c => c.Bind("@organization", organizationId).Bind("@name", project.Name),
                $"a project named \"{project.Name}\" exists in this organization",
                SqlText.Of($"INSERT INTO projects (id, organization_id, name, created_ms) VALUES (@id, @organization, @name, @created)"),
                c => c.Bind("@id", project.Id).Bind("@organization", organizationId).Bind("@name", project.Name).Bind("@created", project.CreatedMs));
            return project;
        }

        public Project? GetProject(string projectId) =>
            ReadOne(SqlText.Of($"SELECT id, organization_id, name, created_ms FROM projects WHERE id = @id"), c => c.Bind("@id", projectId),
                r => new Project(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3)));

        public EnvironmentRecord CreateEnvironment(string projectId, string name, DateTimeOffset now)
        {
            var environment = new EnvironmentRecord(NewId(), projectId, RequireName(name, "an environment"), now.ToUnixTimeMilliseconds());
            Write(SqlText.Of($"SELECT COUNT(*) FROM environments WHERE project_id = @project AND name = @name"),
                c => c.Bind("@project", projectId).Bind("@name", environment.Name),
                $"an environment named \"{environment.Name}\" exists in this project",
                SqlText.Of($"INSERT INTO environments (id, project_id, name, created_ms) VALUES (@id, @project, @name, @created)"),
                c => c.Bind("@id", environment.Id).Bind("@project", projectId).Bind("@name", environment.Name).Bind("@created", environment.CreatedMs));
            return environment;
        }

        public EnvironmentRecord? GetEnvironment(string environmentId) =>
            ReadOne(SqlText.Of($"SELECT id, project_id, name, created_ms FROM environments WHERE id = @id"), c => c.Bind("@id", environmentId), ReadEnvironment);

        public List<EnvironmentRecord> Environments(string projectId) =>
            ReadAll(SqlText.Of($"SELECT id, project_id, name, created_ms FROM environments WHERE project_id = @project ORDER BY created_ms, name"),
                c => c.Bind("@project", projectId), ReadEnvironment);

        /// <summary>Creates a person with a local password (hashed here; the password is never stored).</summary>
        /// <exception cref="AccountConflictException">The email is taken.</exception>
        /// <exception cref="ArgumentException">The email or password is not acceptable (the message says why).</exception>
        public UserRecord CreateUser(string email, string password, DateTimeOffset now)
        {
            var normalized = NormalizeEmail(email);
            if (PasswordHash.Problem(password) is { } problem)
            {
                throw new ArgumentException(problem, nameof(password));
            }

            var user = new UserRecord(NewId(), normalized, now.ToUnixTimeMilliseconds());
            var hash = PasswordHash.Create(password);
            Write(SqlText.Of($"SELECT COUNT(*) FROM users WHERE email = @email"), c => c.Bind("@email", normalized),
                $"a person with the email {normalized} exists",
                SqlText.Of($"INSERT INTO users (id, email, password_hash, created_ms) VALUES (@id, @email, @hash, @created)"),
                c => c.Bind("@id", user.Id).Bind("@email", normalized).Bind("@hash", hash).Bind("@created", user.CreatedMs));
            return user;
        }

        public UserRecord? FindUserByEmail(string email) =>
            ReadOne(SqlText.Of($"SELECT id, email, created_ms FROM users WHERE email = @email"), c => c.Bind("@email", email.Trim().ToLowerInvariant()),
                r => new UserRecord(r.GetString(0), r.GetString(1), r.GetInt64(2)));

        /// <summary>
        /// The person whose email and password these are, or null. An unknown email costs the same PBKDF2 derivation as a
        /// known one (against <see cref="PasswordHash.Decoy"/>), so the time taken does not tell whether the account exists.
        /// </summary>
        public UserRecord? VerifyPassword(string email, string password)
        {
            var row = ReadOne(SqlText.Of($"SELECT id, email, created_ms, password_hash FROM users WHERE email = @email"),
                c => c.Bind("@email", email.Trim().ToLowerInvariant()),
                r => (User: new UserRecord(r.GetString(0), r.GetString(1), r.GetInt64(2)), Hash: r.GetString(3)));
            var matches = PasswordHash.Verify(password, row.Hash ?? PasswordHash.Decoy);
            return matches && row.User is not null ? row.User : null;
        }

        /// <summary>Gives the person <paramref name="role"/> in the project, replacing the role they had.</summary>
        public void SetMember(string projectId, string userId, ProjectRole role)
        {
            using var connection = _engine.Open();
            using var transaction = _engine.BeginWrite(connection, new[] { LockName });
            using (var delete = SqlCommands.Create(connection, SqlText.Of($"DELETE FROM project_members WHERE project_id = @project AND user_id = @user"), transaction))
            {
                delete.Bind("@project", projectId).Bind("@user", userId).ExecuteNonQuery();
            }

            using (var insert = SqlCommands.Create(connection, SqlText.Of($"INSERT INTO project_members (project_id, user_id, role) VALUES (@project, @user, @role)"), transaction))
            {
                insert.Bind("@project", projectId).Bind("@user", userId).Bind("@role", ProjectRoles.Name(role)).ExecuteNonQuery();
            }

            transaction.Commit();
        }

        public List<Member> Members(string projectId) =>
            ReadAll(SqlText.Of($"SELECT m.user_id, u.email, m.role FROM project_members m JOIN users u ON u.id = m.user_id WHERE m.project_id = @project ORDER BY u.email"),
                c => c.Bind("@project", projectId), r => new Member(r.GetString(0), r.GetString(1), ParseRole(r.GetString(2))));

        /// <summary>
        /// The person's role in the project: their membership, or ADMIN when they own its organization (as the Cloud counts
        /// org owners); null when they have none, which callers answer with 404 (the project is not theirs to know of).
        /// </summary>
        public ProjectRole? RoleOf(string userId, string projectId)
        {
            var project = GetProject(projectId);
            if (project is null)
            {
                return null;
            }

            if (IsOwner(project.OrganizationId, userId))
            {
                return ProjectRole.Admin;
            }

            var role = ReadOne(SqlText.Of($"SELECT role FROM project_members WHERE project_id = @project AND user_id = @user"),
                c => c.Bind("@project", projectId).Bind("@user", userId), r => r.GetString(0));
            return role is null ? null : ParseRole(role);
        }

        /// <summary>Every project the person has a role in (by membership or as an owner of its organization), with its environments.</summary>
        public List<ProjectView> ProjectsOf(string userId)
        {
            var projects = ReadAll(SqlText.Of($@"SELECT p.id, p.organization_id, p.name, p.created_ms FROM projects p
                    WHERE p.id IN (SELECT project_id FROM project_members WHERE user_id = @user)
                       OR p.organization_id IN (SELECT organization_id FROM organization_owners WHERE user_id = @user)
                    ORDER BY p.name, p.id"),
                c => c.Bind("@user", userId), r => new Project(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3)));
            var views = new List<ProjectView>();
            foreach (var project in projects)
            {
                if (RoleOf(userId, project.Id) is { } role)
                {
                    views.Add(new ProjectView(project, role, Environments(project.Id)));
                }
            }

            return views;
        }

        /// <summary>Creates a key of the environment, owned by <paramref name="ownerUserId"/>; the key itself is returned here once and never again.</summary>
        public (ApiKeyRecord Record, string Key) CreateKey(string environmentId, string name, string ownerUserId, DateTimeOffset now)
        {
            var key = ApiKeySecret.Generate();
            var record = new ApiKeyRecord(NewId(), environmentId, RequireName(name, "a key"), ApiKeySecret.Prefix(key), ownerUserId, now.ToUnixTimeMilliseconds(), null, null);
            using var connection = _engine.Open();
            using var transaction = _engine.BeginWrite(connection, new[] { LockName });
            using (var insert = SqlCommands.Create(connection, SqlText.Of($@"INSERT INTO api_keys (id, environment_id, name, key_hash, key_prefix, owner_user_id, created_ms)
                VALUES (@id, @environment, @name, @hash, @prefix, @owner, @created)"), transaction))
            {
                insert.Bind("@id", record.Id).Bind("@environment", environmentId).Bind("@name", record.Name).Bind("@hash", ApiKeySecret.Hash(key))
                    .Bind("@prefix", record.Prefix).Bind("@owner", ownerUserId).Bind("@created", record.CreatedMs).ExecuteNonQuery();
            }

            transaction.Commit();
            return (record, key);
        }

        public ApiKeyRecord? GetKey(string keyId) =>
            ReadOne(SqlText.Of($"SELECT id, environment_id, name, key_prefix, owner_user_id, created_ms, revoked_ms, last_used_ms FROM api_keys WHERE id = @id"),
                c => c.Bind("@id", keyId), ReadKey);

        /// <summary>The keys of every environment of the project, newest first (prefixes only).</summary>
        public List<ApiKeyRecord> Keys(string projectId) =>
            ReadAll(SqlText.Of($@"SELECT k.id, k.environment_id, k.name, k.key_prefix, k.owner_user_id, k.created_ms, k.revoked_ms, k.last_used_ms
                    FROM api_keys k JOIN environments e ON e.id = k.environment_id WHERE e.project_id = @project ORDER BY k.created_ms DESC, k.id"),
                c => c.Bind("@project", projectId), ReadKey);

        /// <summary>Marks the key revoked: from then on it authenticates nothing (401). False when it was revoked already or is unknown.</summary>
        public bool RevokeKey(string keyId, DateTimeOffset now)
        {
            using var connection = _engine.Open();
            using var transaction = _engine.BeginWrite(connection, new[] { LockName });
            using var update = SqlCommands.Create(connection, SqlText.Of($"UPDATE api_keys SET revoked_ms = @now WHERE id = @id AND revoked_ms IS NULL"), transaction);
            var changed = update.Bind("@now", now.ToUnixTimeMilliseconds()).Bind("@id", keyId).ExecuteNonQuery();
            transaction.Commit();
            return changed > 0;
        }

        /// <summary>
        /// The scope a presented key grants: its environment, project, organization, and its owner's role in that project
        /// now (a key does no more than the person who made it may). Null for an unknown or revoked key, or an owner who
        /// lost their role. Looked up by the key's SHA-256, so the comparison never touches the key's characters.
        /// </summary>
        public AccessScope? FindKey(string presented)
        {
            var row = ReadOne(SqlText.Of($@"SELECT k.owner_user_id, p.organization_id, p.id, e.id FROM api_keys k
                    JOIN environments e ON e.id = k.environment_id JOIN projects p ON p.id = e.project_id
                    WHERE k.key_hash = @hash AND k.revoked_ms IS NULL"),
                c => c.Bind("@hash", ApiKeySecret.Hash(presented)),
                r => (Owner: r.GetString(0), Organization: r.GetString(1), Project: r.GetString(2), Environment: r.GetString(3)));
            if (row.Owner is null || RoleOf(row.Owner, row.Project) is not { } role)
            {
                return null;
            }

            return new AccessScope(row.Owner, row.Organization, row.Project, row.Environment, role, ByKey: true);
        }

        /// <summary>Starts a page session for the person; returns the token for the cookie (the store keeps its SHA-256 only).</summary>
        public string CreateSession(string userId, DateTimeOffset now)
        {
            var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            using var connection = _engine.Open();
            using var transaction = _engine.BeginWrite(connection, new[] { LockName });
            using (var expired = SqlCommands.Create(connection, SqlText.Of($"DELETE FROM sessions WHERE expires_ms < @now"), transaction))
            {
                expired.Bind("@now", now.ToUnixTimeMilliseconds()).ExecuteNonQuery();
            }

            using (var insert = SqlCommands.Create(connection, SqlText.Of($"INSERT INTO sessions (token_hash, user_id, created_ms, expires_ms) VALUES (@hash, @user, @created, @expires)"), transaction))
            {
                insert.Bind("@hash", ApiKeySecret.Hash(token)).Bind("@user", userId).Bind("@created", now.ToUnixTimeMilliseconds())
                    .Bind("@expires", (now + SessionLifetime).ToUnixTimeMilliseconds()).ExecuteNonQuery();
            }

            transaction.Commit();
            return token;
        }

        /// <summary>The person a session token belongs to, while it has not expired or been ended; else null.</summary>
        public UserRecord? FindSession(string token, DateTimeOffset now) =>
            ReadOne(SqlText.Of($@"SELECT u.id, u.email, u.created_ms FROM sessions s JOIN users u ON u.id = s.user_id
                    WHERE s.token_hash = @hash AND s.expires_ms > @now"),
                c => c.Bind("@hash", ApiKeySecret.Hash(token)).Bind("@now", now.ToUnixTimeMilliseconds()),
                r => new UserRecord(r.GetString(0), r.GetString(1), r.GetInt64(2)));

        public void EndSession(string token)
        {
            using var connection = _engine.Open();
            using var transaction = _engine.BeginWrite(connection, new[] { LockName });
            using var delete = SqlCommands.Create(connection, SqlText.Of($"DELETE FROM sessions WHERE token_hash = @hash"), transaction);
            delete.Bind("@hash", ApiKeySecret.Hash(token)).ExecuteNonQuery();
            transaction.Commit();
        }

        internal static string NormalizeEmail(string email)
        {
            var trimmed = email.Trim().ToLowerInvariant();
            var at = trimmed.IndexOf('@', StringComparison.Ordinal);
            if (trimmed.Length > 254 || at < 1 || at != trimmed.LastIndexOf('@') || at == trimmed.Length - 1 || trimmed.Contains(' ', StringComparison.Ordinal))
            {
                throw new ArgumentException("an email address looks like name@example.com", nameof(email));
            }

            return trimmed;
        }

        private static string RequireName(string name, string what)
        {
            var trimmed = name.Trim();
            if (trimmed.Length is 0 or > 100)
            {
                throw new ArgumentException($"{what} needs a name of 1 to 100 characters", nameof(name));
            }

            return trimmed;
        }

        private static ProjectRole ParseRole(string text) =>
            ProjectRoles.TryParse(text, out var role) ? role : throw new InvalidOperationException($"the stored role \"{text}\" is not one of ADMIN, DEVELOPER, VIEWER, ANNOTATOR");

        private static string NewId() => Guid.NewGuid().ToString();

        private static EnvironmentRecord ReadEnvironment(DbDataReader r) => new EnvironmentRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3));

        private static ApiKeyRecord ReadKey(DbDataReader r) => new ApiKeyRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
            r.GetInt64(5), r.IsDBNull(6) ? null : r.GetInt64(6), r.IsDBNull(7) ? null : r.GetInt64(7));

        /// <summary>Inserts unless <paramref name="exists"/> counts a row, in one write transaction; then throws <see cref="AccountConflictException"/> (or, with no message, does nothing).</summary>
        private void Write(SqlText exists, Action<DbCommand> bindExists, string? conflict, SqlText insert, Action<DbCommand> bindInsert)
        {
            using var connection = _engine.Open();
            using var transaction = _engine.BeginWrite(connection, new[] { LockName });
            using (var check = SqlCommands.Create(connection, exists, transaction))
            {
                bindExists(check);
                if (Convert.ToInt64(check.ExecuteScalar(), CultureInfo.InvariantCulture) > 0)
                {
                    if (conflict is null)
                    {
                        return;
                    }

                    throw new AccountConflictException(conflict);
                }
            }

            using (var command = SqlCommands.Create(connection, insert, transaction))
            {
                bindInsert(command);
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        private object? Scalar(SqlText sql)
        {
            using var connection = _engine.Open();
            using var command = SqlCommands.Create(connection, sql);
            return command.ExecuteScalar();
        }

        private long Count(SqlText sql, Action<DbCommand> bind)
        {
            using var connection = _engine.Open();
            using var command = SqlCommands.Create(connection, sql);
            bind(command);
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        private T? ReadOne<T>(SqlText sql, Action<DbCommand> bind, Func<DbDataReader, T> read)
        {
            using var connection = _engine.Open();
            using var command = SqlCommands.Create(connection, sql);
            bind(command);
            using var reader = command.ExecuteReader();
            return reader.Read() ? read(reader) : default;
        }

        private List<T> ReadAll<T>(SqlText sql, Action<DbCommand> bind, Func<DbDataReader, T> read)
        {
            using var connection = _engine.Open();
            using var command = SqlCommands.Create(connection, sql);
            bind(command);
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(read(reader));
            }

            return rows;
        }
    }
}
