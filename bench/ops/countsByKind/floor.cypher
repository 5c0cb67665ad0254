// The number of organisations of each kind, by the kind label (each kind label is on
// Organization nodes only, so the count store answers each).
RETURN COUNT { (:Enterprise) } AS ENTERPRISE,
  COUNT { (:SocialOrg) } AS SOCIAL_ORG,
  COUNT { (:Hospital) } AS HOSPITAL,
  COUNT { (:School) } AS SCHOOL,
  COUNT { (:Community) } AS COMMUNITY,
  COUNT { (:Department) } AS DEPARTMENT,
  COUNT { (:MassOrg) } AS MASS_ORG
