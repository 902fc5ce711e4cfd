namespace Visibility.Engine.Tests;
