namespace Berth.Federation.Tests.Support;

/// <summary>Keys generated once per test run (RSA generation is slow on a shared machine).</summary>
internal static class TestKeys
{
    private static readonly Lazy<TestKey> GitHubLazy = new(() => TestKey.Rsa("gh-1"));
    private static readonly Lazy<TestKey> GitHubNextLazy = new(() => TestKey.Rsa("gh-2"));
    private static readonly Lazy<TestKey> GitLabLazy = new(() => TestKey.Rsa("gl-1"));
    private static readonly Lazy<TestKey> KubernetesLazy = new(() => TestKey.Ec("k8s-1"));
    private static readonly Lazy<TestKey> AttackerLazy = new(() => TestKey.Rsa("attacker"));
    private static readonly Lazy<TestKey> AttackerEcLazy = new(() => TestKey.Ec("attacker-ec"));

    public static TestKey GitHub => GitHubLazy.Value;

    /// <summary>The key GitHub rotates to.</summary>
    public static TestKey GitHubNext => GitHubNextLazy.Value;

    public static TestKey GitLab => GitLabLazy.Value;

    public static TestKey Kubernetes => KubernetesLazy.Value;

    public static TestKey Attacker => AttackerLazy.Value;

    public static TestKey AttackerEc => AttackerEcLazy.Value;
}
