namespace Visibility.Engine.Inspection;

/// <summary>Reads rule variables (<c>HOME_NET = [10.0.0.0/8, 192.168.0.0/16]</c>) from a <c>variables.conf</c> text:
/// one <c>NAME = value</c> per line, <c>#</c> comments, blank lines ignored. Values are not checked here; a bad value
/// is reported, with its variable, by the rule that uses it.</summary>
public static class RuleVariables
{
    /// <summary>Parses the text into <paramref name="variables"/> (later lines and existing keys are overwritten, so
    /// command-line <c>--set</c> values can be applied afterwards) and returns the malformed lines.</summary>
    public static IReadOnlyList<RuleError> Parse(string text, string fileName, IDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(variables);
        var errors = new List<RuleError>();
        string[] lines = text.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].TrimEnd('\r');
            string trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            int indent = line.Length - line.TrimStart().Length;
            if (eq < 0)
            {
                errors.Add(new RuleError(fileName, n + 1, indent + 1, "expected NAME = value"));
                continue;
            }
            string name = line[..eq].Trim();
            if (name.StartsWith('$'))
            {
                name = name[1..];
            }
            if (name.Length == 0 || !IsName(name))
            {
                errors.Add(new RuleError(fileName, n + 1, indent + 1, $"expected a variable name (letters, digits, '_'), found '{name}'"));
                continue;
            }
            string value = line[(eq + 1)..].Trim();
            if (value.Length == 0)
            {
                errors.Add(new RuleError(fileName, n + 1, eq + 2, $"expected a value for {name}"));
                continue;
            }
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }
            variables[name] = value;
        }
        return errors;
    }

    /// <summary>Applies one <c>NAME=value</c> assignment (as given to <c>--set</c>); false when it is malformed.</summary>
    public static bool TrySet(string assignment, IDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(variables);
        int eq = assignment.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            return false;
        }
        string name = assignment[..eq].Trim().TrimStart('$');
        string value = assignment[(eq + 1)..].Trim();
        if (name.Length == 0 || !IsName(name) || value.Length == 0)
        {
            return false;
        }
        variables[name] = value;
        return true;
    }

    private static bool IsName(string name)
    {
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }
        return true;
    }
}
