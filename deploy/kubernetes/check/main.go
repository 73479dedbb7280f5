// Strictly decodes Kubernetes manifests into the API's own Go types (unknown or mistyped fields fail).
package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

func main() {
	failed := false
	for _, file := range os.Args[1:] {
		data, err := os.ReadFile(file)
		if err != nil {
			panic(err)
		}
		for i, doc := range bytes.Split(data, []byte("\n---")) {
			if len(strings.TrimSpace(string(doc))) == 0 {
				continue
			}
			var meta struct{ Kind, APIVersion string }
			if err := yaml.Unmarshal(doc, &meta); err != nil {
				fmt.Printf("%s#%d: %v\n", file, i, err)
				failed = true
				continue
			}
			var target interface{}
			switch meta.APIVersion + "/" + meta.Kind {
			case "apps/v1/Deployment":
				target = &appsv1.Deployment{}
			case "v1/Service":
				target = &corev1.Service{}
			case "v1/Secret":
				target = &corev1.Secret{}
			default:
				fmt.Printf("%s#%d: unexpected %s %s\n", file, i, meta.APIVersion, meta.Kind)
				failed = true
				continue
			}
			if err := yaml.UnmarshalStrict(doc, target); err != nil {
				fmt.Printf("%s#%d %s: INVALID %v\n", file, i, meta.Kind, err)
				failed = true
				continue
			}
			fmt.Printf("%s#%d %s: valid (strict decode into k8s.io/api types)\n", file, i, meta.Kind)
		}
	}
	if failed {
		os.Exit(1)
	}
}
