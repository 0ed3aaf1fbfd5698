/**
 * The platform's environment ConfigMap as a component, mounted as files or read through the Kubernetes API.
 *
 * <p>Uses the component package and the layers below it. The layers are checked by {@code
 * dev.athena.architecture.LayersTest}.
 */
package dev.athena.component.configmap;
