namespace Mirascope.Ops.Viewer.Accounts
{
    /// <summary>An organization: the owner of projects; its owners are ADMIN of every one of its projects.</summary>
    internal sealed record Organization(string Id, string Name, long CreatedMs);

    internal sealed record Project(string Id, string OrganizationId, string Name, long CreatedMs);

    /// <summary>A place spans land in (production, staging, ...): an API key belongs to exactly one.</summary>
    internal sealed record EnvironmentRecord(string Id, string ProjectId, string Name, long CreatedMs);

    /// <summary>A key as listed: never the key itself, only its prefix.</summary>
    internal sealed record ApiKeyRecord(string Id, string EnvironmentId, string Name, string Prefix, string OwnerUserId, long CreatedMs, long? RevokedMs, long? LastUsedMs);

    internal sealed record UserRecord(string Id, string Email, long CreatedMs);

    internal sealed record Member(string UserId, string Email, ProjectRole Role);

    /// <summary>
    /// Where a request acts and with which role: the organization, project and environment (from the key, or the page's
    /// selection) and the role of the person behind it in that project.
    /// </summary>
    internal sealed record AccessScope(string UserId, string OrganizationId, string ProjectId, string EnvironmentId, ProjectRole Role, bool ByKey);

    /// <summary>A project with the environments a person can see in it and their role there (the page's switcher).</summary>
    internal sealed record ProjectView(Project Project, ProjectRole Role, System.Collections.Generic.IReadOnlyList<EnvironmentRecord> Environments);
}
