namespace Visibility.Captures.Tests;
