package spec

import (
	"encoding/json"
	"fmt"
)

const (
	ipv4Pattern = `^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$`
	cidrPattern = `^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])/([0-9]|[12][0-9]|3[0-2])$`
	ipOrCIDR    = `^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(/([0-9]|[12][0-9]|3[0-2]))?$`
	textPattern = `^[^"'\x00-\x1f\x7f]*$`
	// IPv6 in the schema is its characters; Load checks the form.
	ipv6Pattern  = `^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$`
	cidr6Pattern = `^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$`
)

type obj = map[string]any

// constraints adds to a field's type what the schema can say of its value.
var constraints = map[string]obj{
	"version":       {"const": 1},
	"cloud":         {"enum": []string{CloudAliyun, CloudAWS, CloudGeneric}},
	"interfaces":    {"minItems": 1, "maxItems": MaxInterfaces, "items": obj{"$ref": "#/definitions/interface"}},
	"name":          {"pattern": nameRE.String()},
	"subnet":        {"pattern": cidrPattern},
	"gateway":       {"pattern": ipv4Pattern},
	"mac":           {"pattern": macRE.String()},
	"address":       {"pattern": cidrPattern},
	"secondary_ips": {"maxItems": MaxListItems, "items": obj{"type": "string", "pattern": ipOrCIDR}},
	"metric":        {"minimum": 0, "maximum": 4294967295},
	"route_table":   {"minimum": 1, "maximum": 4294967295, "not": obj{"enum": []int{253, 254, 255}}},
	"rule_priority": {"minimum": 1, "maximum": 32765},
	"mtu":           {"minimum": 68, "maximum": 65535},
	"queues":        {"minimum": 1, "maximum": 256},
	"eips":          {"maxItems": MaxListItems, "items": obj{"$ref": "#/definitions/eip"}},
	"routes":        {"maxItems": MaxListItems, "items": obj{"$ref": "#/definitions/route"}},
	"description":   {"minLength": 1, "maxLength": 255, "pattern": textPattern},
	"windows_name":  {"minLength": 1, "maxLength": 255, "pattern": textPattern},
	"public":        {"pattern": ipv4Pattern},
	"private":       {"pattern": ipv4Pattern},
	"to":            {"anyOf": []obj{{"pattern": cidrPattern}, {"pattern": cidr6Pattern}}},
	"via":           {"anyOf": []obj{{"pattern": ipv4Pattern}, {"pattern": ipv6Pattern}}},
	"table":         {"minimum": 1, "maximum": 4294967295, "not": obj{"enum": []int{0, 253, 255}}},
	"src":           {"anyOf": []obj{{"pattern": ipv4Pattern}, {"pattern": ipv6Pattern}}},
	"dns":           {"$ref": "#/definitions/dns"},
	"host":          {"$ref": "#/definitions/host"},
	"servers":       {"minItems": 1, "maxItems": MaxDNSServers, "uniqueItems": true, "items": obj{"type": "string", "pattern": ipv4Pattern}},
	"search":        {"minItems": 1, "maxItems": MaxDNSSearch, "uniqueItems": true, "items": obj{"type": "string", "pattern": domainRE.String()}},
	"rp_filter":     {"enum": []string{RPStrict, RPLoose, RPOff}},
	"arp":           {"enum": []string{ARPOwn, ARPAny}},
	"ipv6":          {"$ref": "#/definitions/ipv6"},
}

// constraints6 are the constraints of the ipv6 mapping's keys, which
// share names with the interface's IPv4 keys.
var constraints6 = map[string]obj{
	"address":       {"pattern": cidr6Pattern},
	"subnet":        {"pattern": cidr6Pattern},
	"gateway":       {"anyOf": []obj{{"const": GatewayRA}, {"pattern": ipv6Pattern}}},
	"secondary_ips": {"maxItems": MaxListItems, "items": obj{"type": "string", "pattern": ipv6Pattern + "|" + cidr6Pattern}},
	"metric":        {"minimum": 0, "maximum": 4294967295},
	"dhcp":          {"const": true},
	"slaac":         {"const": true},
}

func object(fields []field, required []string, extra obj) obj {
	return objectOf(fields, constraints, required, extra)
}

func objectOf(fields []field, constraints map[string]obj, required []string, extra obj) obj {
	props := obj{}
	for _, f := range fields {
		p := obj{"type": f.Type, "description": f.Doc}
		for k, v := range constraints[f.Key] {
			p[k] = v
		}
		props[f.Key] = p
	}
	o := obj{"type": "object", "additionalProperties": false, "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	for k, v := range extra {
		o[k] = v
	}
	return o
}

// Schema gives the JSON Schema (draft-07) of the description, for
// editors and other tools. Load checks more than the schema can say
// (subnets, uniqueness, cross-interface rules).
func Schema() []byte {
	s := object(topFields, []string{"version", "interfaces"}, obj{
		"$schema":     "http://json-schema.org/draft-07/schema#",
		"$id":         "https://github.com/enicfg/enicfg/schema/v1.json",
		"title":       "enicfg network description, format version 1",
		"description": "One VM's network interfaces (ENIs), for enicfg render.",
		"definitions": obj{
			"interface": object(ifaceFields, []string{"name"}, obj{
				"if":   obj{"properties": obj{"dhcp": obj{"const": true}}, "required": []string{"dhcp"}},
				"then": obj{"not": obj{"required": []string{"address"}}},
				"else": obj{"anyOf": []obj{{"required": []string{"address"}}, {"required": []string{"ipv6"}}}},
			}),
			"ipv6": objectOf(ipv6Fields, constraints6, nil, obj{
				"oneOf": []obj{{"required": []string{"address"}}, {"required": []string{"dhcp"}}, {"required": []string{"slaac"}}},
			}),
			"eip":   object(eipFields, []string{"public", "private"}, nil),
			"route": object(routeFields, []string{"to"}, nil),
			"dns":   object(dnsFields, nil, obj{"minProperties": 1}),
			"host":  object(hostFields, nil, obj{"minProperties": 1}),
		},
	})
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("spec: schema: %v", err))
	}
	return append(b, '\n')
}
