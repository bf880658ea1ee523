using Berth.Access.Admin;
using Berth.Configuration;
using Berth.Federation.Robots;
using Berth.Federation.Tokens;

namespace Berth.Auth;

/// <summary>The changes <see cref="FederationState"/> commits: each decided against a fresh snapshot, as a proposal or a refusal.</summary>
internal sealed partial class FederationState
{
    private Decision ChangeObject(FederationSnapshot fresh, string kind, string name, ChangeMode mode, Func<ManagedObjects, object?> produce)
    {
        var what = $"{kind} '{name}'";
        if (configNames.Contains(kind, name))
        {
            return Decision.No(FederationChange.Conflict($"{what} is declared in the configuration file (managedBy: config): edit the file and restart Berth to change it"));
        }

        var exists = fresh.Api.Contains(kind, name);
        if (mode == ChangeMode.Create && exists)
        {
            return Decision.No(FederationChange.Conflict($"{what} already exists"));
        }

        if (mode != ChangeMode.Create && !exists)
        {
            return Decision.No(FederationChange.NotFound($"{what} does not exist"));
        }

        var settings = produce(fresh.Api);
        var managed = Edit(fresh.Api, kind, name, settings);
        var deletes = new List<DocumentKey>();
        if (settings is null)
        {
            deletes.Add(new DocumentKey(kind, name));
        }

        // A provider created, replaced or deleted by an administrator starts again from the keys it was given.
        if (kind == ObjectKinds.IdentityProvider && managed.SyncedKeys.ContainsKey(name))
        {
            managed = managed with { SyncedKeys = managed.SyncedKeys.Remove(name) };
            deletes.Add(new DocumentKey(ObjectKinds.SyncedJwks, name));
        }

        // A provider deleted, moved to other keys or stripped of synced keys: the refresh tokens bought with
        // tokens its old keys accepted die, or they would outlive the keys an administrator just withdrew.
        var revokeIssuer = kind == ObjectKinds.IdentityProvider && mode != ChangeMode.Create && fresh.Api.IdentityProviders.TryGetValue(name, out var before)
            && (settings is not IdentityProviderSettings after || !SameKeys(before, after) || fresh.Api.SyncedKeys.ContainsKey(name))
            ? before.Issuer
            : null;
        return Decision.Yes(new Proposal(
            what,
            managed,
            settings is null ? [] : [Document(kind, name, settings)],
            deletes,
            kind == ObjectKinds.Robot && mode != ChangeMode.Create ? name : null,
            errors => mode == ChangeMode.Delete ? FederationChange.Conflict($"{what} is still in use: " + string.Join("; ", errors)) : FederationChange.Invalid(errors))
        {
            RevokeIssuer = revokeIssuer,
        });
    }

    private Decision ChangeKeys(FederationSnapshot fresh, string name, SyncedJwks? synced, ValidatedWorkloadToken? sender)
    {
        var provider = fresh.Model.IdentityProviders.FirstOrDefault(p => p.Name == name);
        if (provider is null)
        {
            return Decision.No(FederationChange.NotFound($"identity provider '{name}' does not exist"));
        }

        if (synced is null)
        {
            return fresh.Api.SyncedKeys.ContainsKey(name)
                ? Decision.Yes(new Proposal($"identity provider '{name}'", fresh.Api with { SyncedKeys = fresh.Api.SyncedKeys.Remove(name) }, [], [new DocumentKey(ObjectKinds.SyncedJwks, name)], null, FederationChange.Invalid) { RevokeIssuer = provider.Issuer })
                : Decision.No(FederationChange.NotFound($"identity provider '{name}' has no synced keys"));
        }

        if (KeySyncRefusal(provider) is { } refusal)
        {
            return Decision.No(FederationChange.Conflict(refusal));
        }

        if (sender is null || !fresh.Matcher.Match(sender, username: null).MatchedRobots.Any(KeySyncPermission.IsHeldBy))
        {
            return Decision.No(FederationChange.Forbidden($"no robot with the {KeySyncPermission.Action} permission matched your token"));
        }

        // A sync that withdraws a key it had sent (a rotation, or the cluster undoing a key someone else
        // added) withdraws what that key bought.
        var withdrawn = fresh.Api.SyncedKeys.TryGetValue(name, out var previous) && previous.Kids.Except(synced.Kids, StringComparer.Ordinal).Any();
        return Decision.Yes(new Proposal(
            $"identity provider '{name}'",
            fresh.Api with { SyncedKeys = fresh.Api.SyncedKeys.SetItem(name, synced) },
            [Document(ObjectKinds.SyncedJwks, name, synced)],
            [],
            null,
            FederationChange.Invalid)
        {
            RevokeIssuer = withdrawn ? provider.Issuer : null,
        });
    }

    private static ManagedObjects Edit(ManagedObjects managed, string kind, string name, object? settings) => (kind, settings) switch
    {
        (ObjectKinds.IdentityProvider, null) => managed with { IdentityProviders = managed.IdentityProviders.Remove(name) },
        (ObjectKinds.IdentityProvider, IdentityProviderSettings idp) => managed with { IdentityProviders = managed.IdentityProviders.SetItem(name, idp) },
        (ObjectKinds.Project, null) => managed with { Projects = managed.Projects.Remove(name) },
        (ObjectKinds.Project, ProjectSettings project) => managed with { Projects = managed.Projects.SetItem(name, project) },
        (ObjectKinds.Robot, null) => managed with { Robots = managed.Robots.Remove(name) },
        (ObjectKinds.Robot, RobotSettings robot) => managed with { Robots = managed.Robots.SetItem(name, robot) },
        _ => throw new ArgumentException($"unknown object kind '{kind}' or settings type", nameof(kind)),
    };

    private static bool SameKeys(IdentityProviderSettings a, IdentityProviderSettings b) =>
        a.Issuer == b.Issuer && a.DiscoveryUrl == b.DiscoveryUrl && a.JwksUrl == b.JwksUrl && a.Jwks == b.Jwks && a.JwksFile == b.JwksFile;

    private enum ChangeMode
    {
        Create,
        Replace,
        Delete,
    }

    /// <summary>What a change writes, once validated: the objects after it, the documents to put and delete.</summary>
    /// <param name="What">Names the object in messages, e.g. <c>robot 'ci-push'</c>.</param>
    /// <param name="RevokeRobot">A robot whose refresh tokens die with the change.</param>
    /// <param name="Refuse">Turns the validators' errors into the refusal this change answers with.</param>
    private sealed record Proposal(
        string What,
        ManagedObjects Managed,
        IReadOnlyList<StoredDocument> Puts,
        IReadOnlyList<DocumentKey> Deletes,
        string? RevokeRobot,
        Func<IReadOnlyList<string>, FederationChange> Refuse)
    {
        /// <summary>An issuer whose refresh tokens die with the change (its provider's keys were reset or replaced).</summary>
        public string? RevokeIssuer { get; init; }
    }

    /// <summary>Either a proposal to validate and write, or a refusal decided before any validation.</summary>
    private sealed record Decision(Proposal? Proposal, FederationChange? Refusal)
    {
        public static Decision Yes(Proposal proposal) => new(proposal, null);

        public static Decision No(FederationChange refusal) => new(null, refusal);
    }
}
