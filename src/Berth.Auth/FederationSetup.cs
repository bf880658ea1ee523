using Berth.Access.Permissions;
using Berth.Access.Refresh;
using Berth.Configuration;
using Berth.Federation.Claims;
using Berth.Federation.IdentityProviders;
using Berth.Federation.Robots;
using Berth.Registry.Content;

namespace Berth.Auth;

/// <summary>Turns the configuration's identity providers, projects and robots into the federation model, refusing every mistake by name.</summary>
internal static class FederationSetup
{
    /// <summary>The admin API's <c>/robots/lint</c> route would hide a robot of this name.</summary>
    public const string ReservedRobotName = "lint";

    /// <param name="api">
    /// The objects made through the admin API, merged into <paramref name="settings"/>: their problems say
    /// what to run (<c>berth project add</c>) rather than what to write in the file.
    /// </param>
    /// <exception cref="ConfigurationException">Lists every problem found, each naming its key.</exception>
    public static FederationModel Build(BerthSettings settings, ManagedObjects? api = null)
    {
        var errors = new List<string>();
        var providers = settings.IdentityProviders.Select(ToOptions).ToList();
        errors.AddRange(IdentityProviderOptionsValidator.ValidateAll(providers));

        var projects = new Dictionary<string, bool>(StringComparer.Ordinal);
        for (var i = 0; i < settings.Projects.Count; i++)
        {
            var project = settings.Projects[i];
            if (!Names.IsValidRepository(project.Name) || project.Name.Contains('/', StringComparison.Ordinal))
            {
                errors.Add($"projects[{i}].name: '{project.Name}' must be one lowercase path component such as 'library'");
            }
            else if (!projects.TryAdd(project.Name, project.Public))
            {
                errors.Add($"projects[{i}].name: '{project.Name}' is declared twice");
            }
        }

        var robots = new List<RobotDefinition>();
        for (var i = 0; i < settings.Robots.Count; i++)
        {
            var robot = settings.Robots[i];
            // Named as the validator names robots, so one robot's problems read alike; by position when unnamed.
            var key = $"robots[{(string.IsNullOrWhiteSpace(robot.Name) ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : robot.Name)}]";
            if (robot.Name == ReservedRobotName)
            {
                errors.Add($"{key}.name: '{ReservedRobotName}' is reserved (GET /api/v1/robots/lint lints every robot): choose another name");
            }

            var fromApi = api is not null && api.Robots.TryGetValue(robot.Name, out var stored) && ReferenceEquals(stored, robot);
            robots.Add(ToRobot(robot, key, fromApi, projects, errors));
        }

        errors.AddRange(RobotDefinitionValidator.ValidateAll(robots, providers));
        var keySyncAudience = settings.Tokens.KeySyncAudience;
        if (string.IsNullOrWhiteSpace(keySyncAudience))
        {
            errors.Add("tokens.keySyncAudience: must not be empty (key sync needs an audience of its own)");
        }

        foreach (var provider in providers.Where(p => p.Audiences.Contains(keySyncAudience, StringComparer.Ordinal)))
        {
            errors.Add($"identityProviders[{provider.Name}].audiences: '{keySyncAudience}' is tokens.keySyncAudience; key sync's audience must differ from every login audience, or a login token could replace keys");
        }
        if (errors.Count > 0)
        {
            throw new ConfigurationException("configuration error:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", errors.Distinct()));
        }

        return new FederationModel(providers, robots, projects);
    }

    /// <summary>
    /// A robot not saved yet (the console's live rule tester), built as saving it through the API would
    /// build it, with the problems saving it would meet.
    /// </summary>
    public static (RobotDefinition Robot, IReadOnlyList<string> Errors) Draft(RobotSettings settings, FederationModel model)
    {
        var errors = new List<string>();
        var robot = ToRobot(settings, $"robots[{settings.Name}]", fromApi: true, model.Projects, errors);
        errors.AddRange(RobotDefinitionValidator.Validate(robot, model.IdentityProviders));
        return (robot, errors);
    }

    private static IdentityProviderOptions ToOptions(IdentityProviderSettings settings)
    {
        var defaults = new IdentityProviderOptions { Name = settings.Name, Issuer = settings.Issuer };
        return defaults with
        {
            Audiences = settings.Audiences,
            DiscoveryUrl = settings.DiscoveryUrl,
            JwksUrl = settings.JwksUrl,
            Jwks = settings.Jwks,
            JwksFile = settings.JwksFile,
            AllowInsecureHttp = settings.AllowInsecureHttp,
            AllowLinkLocalAddresses = settings.AllowLinkLocalAddresses,
            ClockSkew = settings.ClockSkew ?? defaults.ClockSkew,
            MaxTokenLifetime = settings.MaxTokenLifetime ?? defaults.MaxTokenLifetime,
            MaxStaleKeyAge = settings.MaxStaleKeyAge ?? defaults.MaxStaleKeyAge,
            FetchTimeout = settings.FetchTimeout ?? defaults.FetchTimeout,
        };
    }

    private static RobotDefinition ToRobot(RobotSettings settings, string key, bool fromApi, IReadOnlyDictionary<string, bool> projects, List<string> errors)
    {
        var rules = new List<ClaimRule>();
        for (var i = 0; i < settings.Rules.Count; i++)
        {
            if (ToRule(settings.Rules[i], $"{key}.rules[{i}]", errors) is { } rule)
            {
                rules.Add(rule);
            }
        }

        var permissions = new List<Permission>();
        for (var i = 0; i < settings.Permissions.Count; i++)
        {
            var permission = settings.Permissions[i];
            if (permission.Actions is [KeySyncPermission.Action])
            {
                // Not about repositories: it needs no project, so `- actions: [jwks-sync]` is enough.
                permissions.Add(new Permission(string.IsNullOrEmpty(permission.Project) ? "*" : permission.Project, permission.Repositories, permission.Actions));
                continue;
            }

            if (permission.Project != "*" && !permission.Project.Contains("${", StringComparison.Ordinal) && !projects.ContainsKey(permission.Project))
            {
                errors.Add(fromApi
                    ? $"{key}.permissions[{i}].project: project '{permission.Project}' does not exist; create it first: berth project add {permission.Project}"
                    : $"{key}.permissions[{i}].project: '{permission.Project}' is not declared under projects: add it there (- name: {permission.Project})");
            }

            permissions.Add(new Permission(permission.Project, permission.Repositories, permission.Actions));
        }

        if (settings.SecretHash is { } hash && !SecretHasher.IsValidHash(hash))
        {
            errors.Add($"{key}.secretHash: must be 'sha256:<64 hex digits>' as printed by `berth hash-secret`");
        }

        var robot = new RobotDefinition
        {
            Name = settings.Name,
            IdentityProvider = settings.IdentityProvider,
            Rules = rules,
            Permissions = permissions,
            SecretHash = settings.SecretHash,
            Enabled = settings.Enabled,
        };
        return settings.RefreshTokenLifetime is { } lifetime ? robot with { RefreshTokenLifetime = lifetime } : robot;
    }

    private static ClaimRule? ToRule(RuleSettings rule, string key, List<string> errors)
    {
        var operators = RuleOperands.Of(rule);
        if (string.IsNullOrWhiteSpace(rule.Claim) || operators.Count != 1)
        {
            errors.Add($"{key}: a rule needs a claim and exactly one of {ClaimOperators.Names}");
            return null;
        }

        try
        {
            return new ClaimRule(rule.Claim, operators[0].Operator, operators[0].Values);
        }
        catch (ArgumentException e)
        {
            errors.Add($"{key}: {e.Message}");
            return null;
        }
    }
}
