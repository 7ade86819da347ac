/**
 * File syntaxes a key gets pasted into. Each wraps `name = value` the way that kind of file writes it,
 * and gives the path the text would live at (some rules and allowlists care about the extension).
 */
export interface Syntax {
  label: string;
  path: string;
  wrap(name: string, value: string): string;
}

export const SYNTAXES: readonly Syntax[] = [
  { label: '.env', path: '.env', wrap: (n, v) => `# local settings\n${n}=${v}\nDEBUG=true\n` },
  { label: '.env quoted', path: 'config/.env.production', wrap: (n, v) => `${n}="${v}"\n` },
  { label: 'JSON', path: 'config/settings.json', wrap: (n, v) => `{\n  "name": "app",\n  "${n.toLowerCase()}": "${v}"\n}\n` },
  { label: 'YAML', path: 'deploy/values.yaml', wrap: (n, v) => `service:\n  env:\n    ${n}: ${v}\n` },
  { label: 'YAML quoted', path: 'deploy/app.yml', wrap: (n, v) => `${n.toLowerCase()}: '${v}'\n` },
  { label: 'Python', path: 'app/settings.py', wrap: (n, v) => `import os\n\n${n} = "${v}"\nclient = Client(api_key=${n})\n` },
  { label: 'JavaScript', path: 'src/client.js', wrap: (n, v) => `const ${camel(n)} = '${v}';\nexport default ${camel(n)};\n` },
  { label: 'TypeScript', path: 'src/config.ts', wrap: (n, v) => `export const config = {\n  ${camel(n)}: \`${v}\`,\n} as const;\n` },
  { label: 'shell', path: 'scripts/deploy.sh', wrap: (n, v) => `#!/bin/sh\nexport ${n}=${v}\ncurl -s https://example.invalid\n` },
  { label: 'Dockerfile', path: 'Dockerfile', wrap: (n, v) => `FROM node:24\nENV ${n}=${v}\nRUN npm ci\n` },
  { label: 'Terraform', path: 'infra/main.tf', wrap: (n, v) => `variable "x" {}\nresource "thing" "a" {\n  ${n.toLowerCase()} = "${v}"\n}\n` },
  { label: 'notebook', path: 'notebooks/explore.ipynb', wrap: (n, v) => `{"cells":[{"cell_type":"code","source":["import os\\n","os.environ[\\"${n}\\"] = \\"${v}\\"\\n"]}]}\n` },
  { label: 'Markdown', path: 'docs/setup.md', wrap: (n, v) => `# Setup\n\nRun:\n\n\`\`\`sh\nexport ${n}=${v}\n\`\`\`\n` },
  { label: 'Go', path: 'cmd/main.go', wrap: (n, v) => `package main\n\nconst ${camel(n)} = "${v}"\n` },
  { label: 'Java properties', path: 'src/main/resources/application.properties', wrap: (n, v) => `${n.toLowerCase().replace(/_/g, '.')}=${v}\n` },
  { label: 'TOML', path: 'config.toml', wrap: (n, v) => `[auth]\n${n.toLowerCase()} = "${v}"\n` },
  { label: 'XML', path: 'app.config', wrap: (n, v) => `<appSettings>\n  <add key="${n}" value="${v}" />\n</appSettings>\n` },
  { label: 'GitHub workflow', path: '.github/workflows/ci.yml', wrap: (n, v) => `jobs:\n  build:\n    env:\n      ${n}: ${v}\n` },
  { label: 'C#', path: 'src/Program.cs', wrap: (n, v) => `var ${camel(n)} = "${v}";\n` },
  { label: 'Ruby', path: 'config/initializers/client.rb', wrap: (n, v) => `${n} = '${v}'.freeze\n` },
  { label: 'Makefile ::=', path: 'Makefile', wrap: (n, v) => `.PHONY: deploy\n${n} ::= ${v}\n` },
  { label: 'Makefile :::=', path: 'build/common.mk', wrap: (n, v) => `${n} :::= "${v}"\n` },
  { label: 'PHP .=', path: 'src/config.php', wrap: (n, v) => `<?php\n$${camel(n)} .= '${v}';\n` },
  { label: 'Java system property', path: 'src/main/java/App.java', wrap: (n, v) => `    System.setProperty("${n}", "${v}");\n` },
  { label: 'Go call arguments', path: 'cmd/env.go', wrap: (n, v) => `\ttoken := utils.GetEnvOrDefault("${n.toLowerCase()}", "${v}")\n` },
  { label: 'XML element across lines', path: 'conf/settings.xml', wrap: (n, v) => `<settings>\n  <${camel(n)}>\n    ${v}\n  </${camel(n)}>\n</settings>\n` },
  { label: 'XML attributes across lines', path: 'Web.config', wrap: (n, v) => `<appSettings>\n  <add key="${n}"\n       value="${v}" />\n</appSettings>\n` },
  { label: 'Go typed', path: 'internal/config.go', wrap: (n, v) => `var ${camel(n)} string = "${v}"\n` },
  { label: 'Kotlin typed', path: 'app/src/Config.kt', wrap: (n, v) => `val ${camel(n)}: String = "${v}"\n` },
];

function camel(name: string): string {
  return name.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
