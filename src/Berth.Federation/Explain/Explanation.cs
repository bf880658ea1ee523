using System.Text;
using Berth.Access.Permissions;

namespace Berth.Federation.Explain;

/// <summary>Every robot's verdict for one claims document, and the union of granted permissions.</summary>
public sealed record Explanation(IReadOnlyList<RobotExplanation> Robots)
{
    public bool AnyMatched => Robots.Any(r => r.Matched);

    public IReadOnlyList<Permission> Permissions => PermissionUnion.Of(Robots.Where(r => r.Matched).SelectMany(r => r.Permissions));

    /// <summary>A plain-text rendering for the CLI, one block per robot (<see cref="TokenExplanation.ToText"/> adds the verdict).</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var robot in Robots)
        {
            text.Append("robot ").Append(robot.Robot).Append(robot.IdentityProvider is null ? " (classic)" : $" (identity provider {robot.IdentityProvider})")
                .Append(": ").AppendLine(robot.Matched ? "MATCHED" : "no match");
            if (robot.Note is not null)
            {
                text.Append("  note: ").AppendLine(robot.Note);
            }

            foreach (var rule in robot.Rules)
            {
                var expected = rule.Expected.Count == 1 ? rule.Expected[0] : "[" + string.Join(", ", rule.Expected) + "]";
                text.Append("  ").Append(rule.Matched ? "ok   " : "FAIL ").Append(rule.Claim).Append(' ').Append(rule.Operator).Append(' ').Append(expected)
                    .Append("  (found: ").Append(rule.Found ?? "<missing>").AppendLine(")");
            }

            foreach (var permission in robot.Permissions)
            {
                text.Append("  grants ").Append(permission.Project).Append('/').Append(permission.Repositories).Append(' ').AppendLine(string.Join(",", permission.Actions));
            }

            foreach (var dropped in robot.DroppedPermissions)
            {
                text.Append("  dropped permission ").AppendLine(dropped);
            }
        }

        return text.ToString();
    }
}
